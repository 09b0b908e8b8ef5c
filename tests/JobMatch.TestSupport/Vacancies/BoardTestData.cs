using System.Net.Http.Json;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Vacancies;
using Npgsql;

namespace JobMatch.Tests.Vacancies;

/// <summary>Employers and vacancies for job-board tests. Each test marks its data with a unique token and searches by it.</summary>
internal static class BoardTestData
{
    public static string Token() => "zq" + Guid.NewGuid().ToString("N")[..10];

    public static DateOnly Today => BoardClock.Today(TimeProvider.System);

    /// <summary>An employer organisation with filled-in details in the given status.</summary>
    public static async Task<Guid> CreateEmployerAsync(NpgsqlDataSource db, string status = "verified", bool chargesFee = false, string? membershipNumber = null)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO organisation (id, kind, name, membership) VALUES (@id, 'employer', @name, 'chamber')",
            new { id, name = "Employer " + id.ToString("N")[..8] });
        await connection.ExecuteAsync(
            """
            INSERT INTO employer (organisation_id, membership_number, trade_licence_number, contact_person, contact_phone, address,
                sector_code, status, suspended_reason, charges_recruitment_fee, verified_at)
            VALUES (@id, @number, 'TL-1', 'Contact', '+8801711000000', 'Main Road', 'garments', @status,
                CASE WHEN @status = 'suspended' THEN 'test' END, @chargesFee, CASE WHEN @status = 'verified' THEN now() END)
            """, new { id, status, chargesFee, number = membershipNumber ?? "M-" + id.ToString("N")[..8] });
        return id;
    }

    /// <summary>A signed-in employer user (API token set) of a new employer in the given status.</summary>
    public static async Task<(HttpClient Client, Guid EmployerId)> EmployerClientAsync(JobMatchApp app, string status = "verified", bool chargesFee = false)
    {
        var employerId = await CreateEmployerAsync(app.Database.DataSource, status, chargesFee);
        var (client, _) = await app.SignedInClientAsync(Roles.Employer, employerId);
        await JobMatchApp.UseApiTokenAsync(client);
        return (client, employerId);
    }

    /// <summary>A valid garments vacancy in Ukhia (wage above the 12,500 floor) whose English title carries the token.</summary>
    public static VacancyInput Input(string token, Action<VacancyInput>? change = null)
    {
        var input = new VacancyInput
        {
            TitleEn = $"Tailor {token}", TitleBn = $"দর্জি {token}", DescriptionEn = "Sewing salwar kameez in a small shop.",
            DescriptionBn = "ছোট দোকানে সালোয়ার-কামিজ সেলাই।", Isco08 = "7531", SectorCode = "garments", UpazilaCode = "ukhia",
            WageMinBdt = 13000, WageMaxBdt = 16000, Kind = "wage", Openings = 2, Hours = "9am-6pm", Facilities = ["women_friendly"],
            ClosingDate = Today.AddDays(20), Version = null,
            Skills = [new VacancySkillInput { Code = "GAR-001", MinLevel = 2, Required = true }, new VacancySkillInput { Code = "GAR-003", MinLevel = 1, Required = false }],
        };
        change?.Invoke(input);
        return input;
    }

    /// <summary>Creates a draft through the API and returns its id.</summary>
    public static async Task<long> CreateDraftAsync(HttpClient client, VacancyInput input)
    {
        var response = await client.PostAsJsonAsync("/api/vacancies", input);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<VacancyRecord>();
        return created!.Id;
    }

    /// <summary>Inserts a vacancy directly (board tests that need many, in any status).</summary>
    public static async Task<long> InsertVacancyAsync(NpgsqlDataSource db, Guid employerId, string titleEn, string status = "open",
        string sector = "garments", string upazila = "ukhia", string kind = "wage", int wageMin = 13000, int? wageMax = 16000,
        string? titleBn = null, DateOnly? closing = null, string? descriptionBn = null)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO vacancy (employer_id, title_en, title_bn, description_en, description_bn, isco08, sector_code, upazila_code,
                lat, lon, wage_min_bdt, wage_max_bdt, kind, openings, closing_date, status, published_at)
            VALUES (@employerId, @titleEn, @titleBn, 'A job.', @descriptionBn, '7531', @sector, @upazila, 21.2, 92.1,
                @wageMin, @wageMax, @kind, 1, @closing, @status, CASE WHEN @status <> 'draft' THEN now() END)
            RETURNING id
            """, new { employerId, titleEn, titleBn, descriptionBn, sector, upazila, kind, wageMin, wageMax, status, closing = closing ?? Today.AddDays(10) });
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, object? args = null)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no value");
    }
}
