using System.Net.Mail;
using System.Text.RegularExpressions;
using Dapper;
using JobMatch.Identity;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>Field-level checks for registration and profile edits; errors are keyed by field for a 400 problem document.</summary>
internal static partial class SeekerValidation
{
    public static readonly string[] Methods = ["in_person", "by_phone", "online", "by_case_worker"];

    public static void Identity(RegisterSeekerRequest r, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(r.FullName) || r.FullName.Length > 200) errors["fullName"] = ["Full name is required (at most 200 characters)."];
        if (r.FirstName is { Length: > 100 }) errors["firstName"] = ["First name is at most 100 characters."];
        if (!string.IsNullOrWhiteSpace(r.Phone) && PhoneNumber.Normalize(r.Phone) is null) errors["phone"] = ["Not a Bangladeshi mobile number."];
        if (!string.IsNullOrWhiteSpace(r.Email) && !MailAddress.TryCreate(r.Email.Trim(), out _)) errors["email"] = ["Not an e-mail address."];
        if (r.Address is { Length: > 500 }) errors["address"] = ["Address is at most 500 characters."];
        if (r.DateOfBirth is { } dob && (dob.Year < 1900 || dob > DateOnly.FromDateTime(DateTime.UtcNow))) errors["dateOfBirth"] = ["Date of birth is not plausible."];
        if (r.PreferredLanguage is not (null or "en" or "bn")) errors["preferredLanguage"] = ["Use en or bn."];
        if (r.MatchingConsentMethod is { } m && !Methods.Contains(m)) errors["matchingConsentMethod"] = ["Use in_person, by_phone, online or by_case_worker."];
    }

    public static async Task ProfileAsync(NpgsqlConnection connection, SeekerProfile p, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        if (p.Wants is not ("wage" or "self" or "any")) errors["wants"] = ["Use wage, self or any."];
        if (p.Literacy is not (null or "none" or "basic" or "functional" or "fluent")) errors["literacy"] = ["Use none, basic, functional or fluent."];
        if (p.Gender is not (null or "F" or "M" or "X")) errors["gender"] = ["Use F, M or X."];
        if (p.EducationLevel is < 0 or > 5) errors["educationLevel"] = ["Education level is 0 to 5."];
        if (p.ExpectedWageBdt is < 0 or > 1_000_000) errors["expectedWageBdt"] = ["Expected wage is 0 to 1,000,000 BDT a month."];
        if (p.MaxTravelKm is < 0 or > 500) errors["maxTravelKm"] = ["Travel distance is 0 to 500 km."];
        if (p.HoursPerWeek is < 0 or > 84) errors["hoursPerWeek"] = ["Hours per week are 0 to 84."];
        if (p.BirthYear is { } y && (y < 1940 || y > DateTime.UtcNow.Year - 14)) errors["birthYear"] = ["Birth year is not plausible for a job seeker."];
        p.Languages ??= [];
        p.PreferredSectors ??= [];
        if (p.Languages.Any(l => !LanguageCode().IsMatch(l ?? ""))) errors["languages"] = ["Languages are short lower-case codes, e.g. bn, en, ctg."];
        if (p.UpazilaCode is { } u && !await ExistsAsync(connection, "upazila", [u], ct)) errors["upazilaCode"] = ["Unknown upazila."];
        if (!await ExistsAsync(connection, "sector", p.PreferredSectors, ct)) errors["preferredSectors"] = ["Unknown sector code."];
    }

    public static async Task RulesAsync(NpgsqlConnection connection, DoNotMatchRules r, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        r.BlockedSectors ??= [];
        r.BlockedUpazilas ??= [];
        r.BlockedEmployerIds ??= [];
        if (!await ExistsAsync(connection, "sector", r.BlockedSectors, ct)) errors["blockedSectors"] = ["Unknown sector code."];
        if (!await ExistsAsync(connection, "upazila", r.BlockedUpazilas, ct)) errors["blockedUpazilas"] = ["Unknown upazila."];
        var employers = r.BlockedEmployerIds.Distinct().ToArray();
        var found = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM organisation WHERE kind = 'employer' AND id = ANY(@employers)", new { employers }, cancellationToken: ct));
        if (found != employers.Length) errors["blockedEmployerIds"] = ["Unknown employer."];
    }

    /// <summary>True when every code exists in the reference table (table names are constants, never input).</summary>
    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string table, string[] codes, CancellationToken ct)
    {
        var distinct = codes.Distinct().ToArray();
        if (distinct.Length == 0) return true;
        var sql = table switch
        {
            "sector" => "SELECT count(*) FROM sector WHERE code = ANY(@distinct)",
            "upazila" => "SELECT count(*) FROM upazila WHERE code = ANY(@distinct)",
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { distinct }, cancellationToken: ct)) == distinct.Length;
    }

    [GeneratedRegex("^[a-z]{2,12}$")]
    private static partial Regex LanguageCode();
}
