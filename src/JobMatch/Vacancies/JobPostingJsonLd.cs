using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace JobMatch.Vacancies;

/// <summary>
/// schema.org <c>JobPosting</c> for a public vacancy page, so search engines can list it. Rendered inside
/// <c>&lt;script type="application/ld+json"&gt;</c>: a data block, which the CSP's <c>script-src 'self'</c> does not
/// execute. The encoder escapes &lt; &gt; &amp; and quotes, so no text can close the block early.
/// </summary>
internal static class JobPostingJsonLd
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All), // Bangla as characters; HTML-sensitive ones still escaped
    };

    public static string Build(BoardVacancy v, bool bangla, UpazilaRef? upazila, string url)
    {
        var salary = new JsonObject
        {
            ["@type"] = "QuantitativeValue",
            ["minValue"] = v.WageMinBdt,
            ["unitText"] = "MONTH",
        };
        if (v.WageMaxBdt is { } max) salary["maxValue"] = max;

        var posting = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "JobPosting",
            ["title"] = v.Title(bangla),
            ["description"] = v.Description(bangla),
            ["datePosted"] = v.PublishedAt.ToOffset(BoardClock.BangladeshOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            // Open through the whole closing day, Bangladesh time.
            ["validThrough"] = DateOnly.FromDateTime(v.ClosingDate).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T23:59:59+06:00",
            ["employmentType"] = EmploymentType(v.Kind),
            ["occupationalCategory"] = v.Isco08,
            ["totalJobOpenings"] = v.Openings,
            ["identifier"] = new JsonObject { ["@type"] = "PropertyValue", ["name"] = "JobMatch", ["value"] = v.Id.ToString(CultureInfo.InvariantCulture) },
            ["url"] = url,
            ["directApply"] = false,
            ["hiringOrganization"] = new JsonObject { ["@type"] = "Organization", ["name"] = v.EmployerName },
            ["jobLocation"] = new JsonObject
            {
                ["@type"] = "Place",
                ["address"] = new JsonObject
                {
                    ["@type"] = "PostalAddress",
                    ["addressLocality"] = upazila?.Name(bangla) ?? v.UpazilaCode,
                    ["addressRegion"] = bangla ? "কক্সবাজার" : "Cox's Bazar",
                    ["addressCountry"] = "BD",
                },
                ["geo"] = new JsonObject { ["@type"] = "GeoCoordinates", ["latitude"] = Math.Round(v.Lat, 4), ["longitude"] = Math.Round(v.Lon, 4) },
            },
            ["baseSalary"] = new JsonObject { ["@type"] = "MonetaryAmount", ["currency"] = "BDT", ["value"] = salary },
        };
        if (v.Hours is not null) posting["workHours"] = v.Hours;
        return posting.ToJsonString(Options);
    }

    /// <summary>schema.org/Google employment types: apprenticeships are traineeships, self-employment places contracts.</summary>
    public static string EmploymentType(string kind) => kind switch
    {
        VacancyKinds.Apprenticeship => "INTERN",
        VacancyKinds.Self => "CONTRACTOR",
        _ => "FULL_TIME",
    };
}
