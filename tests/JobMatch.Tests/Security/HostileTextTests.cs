using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;
using JobMatch.Tests.Vacancies;
using JobMatch.Vacancies;

namespace JobMatch.Tests.Security;

/// <summary>
/// R17 (and the encoding half of R14): hostile text — SQL metacharacters, quotes, Bangla, right-to-left and zero-width
/// characters, emoji, markup, up to and just past each field's limit — through every free-text field of the case-work,
/// employer and vacancy APIs. Each value is saved and read back exactly (surrounding blanks may be trimmed), or refused
/// with a 400 problem document naming the field when it is over the limit or blank where required; never a 5xx; and
/// the pages that show it encode it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HostileTextTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private const int CasesPerEntity = 40;
    private const string ScriptFragment = "<script>alert('x')</script>";

    private static readonly string[] Fragments =
    [
        "'", "''", "\"", "\\", ";", "--", "/*", "*/", "'; DROP TABLE seeker; --", "' OR '1'='1", "$$", "$1", "%", "_", "E'\\x41'", "::text",
        ScriptFragment, "&amp;", "&#x3c;", "{{x}}", "@(1+1)", "${x}", "কক্সবাজার", "উখিয়া", "মো. রহিমা বেগম", "১২৩", "\u200F", "\u200E", "\u202E",
        "\u202D", "\u2066", "\u2069", "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\U0001F600", "👩🏽‍🔧", "🇧🇩", "مرحبا", "שלום", "\t", "\n",
        "\r\n", " ", "\u00A0", "\u3000", "a", "Z", "0", "e\u0301", "ﬁ",
    ];

    /// <summary>Short hostile strings, or ones padded to exactly the limit or one past it (padding with a Bangla letter, one UTF-16 unit).</summary>
    private static Gen<string> Hostile(int limit)
    {
        var text = Gen.Elements(Fragments).NonEmptyListOf().Select(f => string.Concat(f));
        return Gen.Frequency(
            (6, text),
            (1, text.Select(t => t.Length >= limit ? t : t + new string('ক', limit - t.Length))),
            (1, text.Select(t => t.Length > limit ? t : t + new string('ক', limit + 1 - t.Length))));
    }

    /// <summary>One free-text field: its JSON name in the request and the response, its limit, and whether it may be blank.</summary>
    private sealed record Field(string Name, int Limit, bool Required);

    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)

    [Fact]
    public async Task SeekerIdentityAndCaseFile_RoundTripHostileText_OrRefuseWith400()
    {
        var client = await SeekerApi.CaseWorkerAsync(_app);
        Field[] fields = [new("fullName", 200, true), new("firstName", 100, false), new("address", 500, false), new("referralSource", 500, false), new("body", 10_000, true)];
        await CheckAsync(fields, async (field, value) =>
        {
            var canaries = SeekerApi.Canaries.New();
            var register = new Dictionary<string, object?>
            {
                ["fullName"] = field.Name == "fullName" ? value : canaries.Name, ["firstName"] = field.Name == "firstName" ? value : null,
                ["address"] = field.Name == "address" ? value : canaries.Address, ["preferredLanguage"] = "bn",
                ["profile"] = new { upazilaCode = "ukhia", wants = "wage" },
            };
            var created = await client.PostAsJsonAsync("/api/casework/seekers", register);
            if (field.Name is "fullName" or "firstName" or "address")
            {
                if (!created.IsSuccessStatusCode) return (created, null, null);
                var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
                var detail = await client.GetFromJsonAsync<JsonElement>($"/api/casework/seekers/{reference}");
                return (created, detail.GetProperty("identity").GetProperty(field.Name).GetString(), $"/casework/seekers/{reference}");
            }
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var seeker = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
            var write = field.Name == "referralSource"
                ? await client.PutAsJsonAsync($"/api/casework/seekers/{seeker}/casefile", new { version = 0, referralSource = value })
                : await client.PostAsJsonAsync($"/api/casework/seekers/{seeker}/casefile/notes", new { body = value });
            if (!write.IsSuccessStatusCode) return (write, null, null);
            var file = await client.GetFromJsonAsync<JsonElement>($"/api/casework/seekers/{seeker}/casefile");
            var stored = field.Name == "referralSource"
                ? file.GetProperty("referralSource").GetString()
                : file.GetProperty("notes").EnumerateArray().Single().GetProperty("body").GetString();
            return (write, stored, $"/casework/seekers/{seeker}/casefile");
        }, client);
    }

    [Fact]
    public async Task VacancyText_RoundTripsHostileText_OrRefusesWith400()
    {
        var (client, _) = await BoardTestData.EmployerClientAsync(_app);
        Field[] fields = [new("titleEn", 200, false), new("titleBn", 200, false), new("descriptionEn", 5000, false), new("descriptionBn", 5000, false), new("hours", 200, false), new("shifts", 200, false)];
        await CheckAsync(fields, async (field, value) =>
        {
            var input = BoardTestData.Input(BoardTestData.Token(), v =>
            {
                switch (field.Name)
                {
                    case "titleEn": v.TitleEn = value; break;
                    case "titleBn": v.TitleBn = value; break;
                    case "descriptionEn": v.DescriptionEn = value; break;
                    case "descriptionBn": v.DescriptionBn = value; break;
                    case "hours": v.Hours = value; break;
                    case "shifts": v.Shifts = value; break;
                }
            });
            var response = await client.PostAsJsonAsync("/api/vacancies", input);
            if (!response.IsSuccessStatusCode) return (response, null, null);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            var stored = await client.GetFromJsonAsync<JsonElement>($"/api/vacancies/{id}");
            return (response, stored.GetProperty(field.Name).GetString(), $"/employer/vacancy/{id}");
        }, client);
    }

    [Fact]
    public async Task EmployerProfileText_RoundTripsHostileText_OrRefusesWith400()
    {
        var (client, _) = await BoardTestData.EmployerClientAsync(_app);
        Field[] fields = [new("name", 200, true), new("membershipNumber", 50, true), new("tradeLicenceNumber", 50, true), new("contactPerson", 200, true), new("address", 500, true)];
        await CheckAsync(fields, async (field, value) =>
        {
            var current = await client.GetFromJsonAsync<JsonElement>("/api/employers/me");
            var input = new EmployerInput
            {
                Name = "Hostile Text Ltd", Membership = "chamber", MembershipNumber = "M-" + Guid.NewGuid().ToString("N")[..8], TradeLicenceNumber = "TL-7",
                ContactPerson = "Rahima", ContactPhone = "+8801711000000", Address = "Main Road", SectorCode = "garments", PreferredLanguage = "bn",
                Version = current.GetProperty("version").GetInt64(),
            };
            switch (field.Name)
            {
                case "name": input.Name = value; break;
                case "membershipNumber": input.MembershipNumber = value; break;
                case "tradeLicenceNumber": input.TradeLicenceNumber = value; break;
                case "contactPerson": input.ContactPerson = value; break;
                case "address": input.Address = value; break;
            }
            var response = await client.PutAsJsonAsync("/api/employers/me", input);
            if (!response.IsSuccessStatusCode) return (response, null, null);
            var stored = await client.GetFromJsonAsync<JsonElement>("/api/employers/me");
            return (response, stored.GetProperty(field.Name).GetString(), "/employer/profile");
        }, client);
    }

    [Fact]
    public async Task CourseName_RoundTripsHostileText_OrRefusesWith400()
    {
        var (client, _) = await _app.SignedInClientAsync(Roles.TrainingProvider);
        await JobMatchApp.UseApiTokenAsync(client);
        await CheckAsync([new("name", 200, true)], async (field, value) =>
        {
            var code = "C" + Guid.NewGuid().ToString("N")[..12];
            var response = await client.PostAsJsonAsync("/api/training/courses", new { code, name = value, skills = new[] { new { skillCode = "GAR-001", level = 2 } } });
            if (!response.IsSuccessStatusCode) return (response, null, null);
            var courses = await client.GetFromJsonAsync<JsonElement>("/api/training/courses");
            var stored = courses.EnumerateArray().Single(c => c.GetProperty("code").GetString() == code).GetProperty("name").GetString();
            return (response, stored, null);
        }, client);
    }

    /// <summary>
    /// Runs <see cref="CasesPerEntity"/> random (field, text) cases through <paramref name="saveAndRead"/>, which saves the
    /// text in that field and returns the write response, the value read back, and a page that shows it.
    /// </summary>
    private async Task CheckAsync(Field[] fields, Func<Field, string, Task<(HttpResponseMessage Write, string? Stored, string? Page)>> saveAndRead, HttpClient pages)
    {
        var cases = Gen.Elements(fields).SelectMany(f => Hostile(f.Limit).Select(v => (Field: f, Value: v)));
        var failures = new List<string>();
        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var failure = Task.Run(() => CheckOneAsync(c.Field, c.Value, saveAndRead, pages)).GetAwaiter().GetResult();
            if (failure is not null) failures.Add(failure);
            return failure is null;
        });
        Check.One(Config.Quick.WithMaxTest(CasesPerEntity), property);
        // Text PostgreSQL cannot store (NUL) or that is not Unicode (a lone surrogate): refused or kept exactly, never a 5xx.
        foreach (var field in fields)
        {
            foreach (var edge in new[] { "Rahima\0Begum", "x\uD800y" })
            {
                if (await CheckOneAsync(field, edge, saveAndRead, pages, mayRefuse: true) is { } failure) failures.Add(failure);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(5)));
    }

    private static async Task<string?> CheckOneAsync(Field field, string value, Func<Field, string, Task<(HttpResponseMessage, string?, string?)>> saveAndRead,
        HttpClient pages, bool mayRefuse = false)
    {
        var (write, stored, page) = await saveAndRead(field, value);
        var trimmed = value.Trim();
        var mustRefuse = trimmed.Length > field.Limit || (field.Required && trimmed.Length == 0);
        var overLimit = mustRefuse || value.Length > field.Limit;
        mayRefuse = mayRefuse || overLimit;
        var shown = JsonSerializer.Serialize(value.Length > 80 ? value[..40] + "…" + value[^20..] : value);
        var status = (int)write.StatusCode;
        if (status >= 500) return $"{field.Name} = {shown} ({value.Length}): {status}";
        if (write.StatusCode == HttpStatusCode.BadRequest)
        {
            if (!mayRefuse) return $"{field.Name} = {shown} ({value.Length}): refused although valid";
            var problem = await write.Content.ReadFromJsonAsync<JsonElement>();
            if (write.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || (overLimit && !(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field.Name, out _))))
            {
                return $"{field.Name} = {shown}: 400 without a problem document naming the field";
            }
            return null;
        }
        if (!write.IsSuccessStatusCode) return $"{field.Name} = {shown}: {status}";
        if (mustRefuse) return $"{field.Name} = {shown} ({value.Length}): accepted although over the limit or blank";
        // An optional field left blank may be stored as nothing (or derived, like a first name); otherwise exact.
        // A lone surrogate is not Unicode: JSON readers turn it into U+FFFD, as UTF-8 encoding does.
        if (trimmed.Length > 0 && stored != Wellformed(value) && stored != Wellformed(trimmed))
        {
            return $"{field.Name} = {shown}: read back as {JsonSerializer.Serialize(stored)}";
        }
        if (page is not null)
        {
            var html = await pages.GetAsync(page);
            var body = await html.Content.ReadAsStringAsync();
            if (html.StatusCode != HttpStatusCode.OK) return $"{field.Name} = {shown}: page {page} answered {(int)html.StatusCode}";
            if (body.Contains(ScriptFragment, StringComparison.Ordinal)) return $"{field.Name} = {shown}: page {page} holds raw markup";
        }
        return null;
    }

    private static string Wellformed(string text) => System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text));
}
