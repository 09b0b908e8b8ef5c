using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Vacancies;
using Xunit.Abstractions;

namespace JobMatch.Tests.Security;

/// <summary>
/// R7: every write endpoint of the catalogue (JSON API POST/PUT/PATCH, and each POST handler of each page) is sent,
/// with its own organisation's ids, a request it accepts plus extra fields naming another organisation's records,
/// privileged states and old dates (id, employerId, organisationId, agencyId, seekerId, status, verified, role,
/// createdAt…). The owner, identity and privilege columns of every row that existed before must be unchanged, and
/// rows the request created must belong to the caller.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MassAssignmentTests(PostgresFixture database, SecurityWorldFixture fixture, ITestOutputHelper output) : IClassFixture<SecurityWorldFixture>
{
    /// <summary>Columns no request may change from the outside: table → (primary key, protected columns).</summary>
    private static readonly (string Table, string Key, string Columns)[] Protected =
    [
        ("organisation", "id", "kind, membership, created_at, requires_match_review"),
        ("app_user", "id", "role, organisation_id, disabled, two_factor_enabled, created_at"),
        ("employer", "organisation_id", "status, verified_at, verified_by, created_at"),
        ("vacancy", "id", "employer_id, status, published_at, created_at"),
        ("seeker", "id", "reference, agency_id, user_id, status, created_at"),
        ("match", "id", "seeker_id, vacancy_id"),
        ("consent", "id", "seeker_id, employer_id, vacancy_id, purpose"),
        ("enrolment", "id", "seeker_id, provider_id, enrolled_by, enrolled_at"),
        ("course", "id", "provider_id, code, created_at"),
        ("upload", "id", "provider_id, kind, uploaded_by, uploaded_at"),
        ("retention_checkin", "id", "match_id, months, due_on"),
    ];

    /// <summary>Writes that are not about fields: signing in and out, the language cookie, erasure, uploads of files.</summary>
    private static readonly string[] NotFieldWrites =
        ["/account/", "/language", "/admin/jobs", "/api/training/uploads/{kind}", "/api/vacancy-imports", "/admin/vacancies/import", "/training/upload"];

    [Fact]
    public async Task EveryWriteEndpoint_ChangesOnlyWhatItAllows_WhenSentExtraFields()
    {
        var world = await fixture.GetAsync(database);
        var writes = Writes(world).ToList();
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();

        foreach (var (label, role, send) in writes)
        {
            var before = await SnapshotAsync();
            var client = world.Clients[role];
            using var response = await send(client);
            statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
            if ((int)response.StatusCode >= 500) failures.Add($"{label}: {(int)response.StatusCode}");
            var after = await SnapshotAsync();
            foreach (var (table, rows) in after)
            {
                var old = before[table];
                failures.AddRange(rows.Where(r => old.TryGetValue(r.Key, out var was) && was != r.Value && !Allowed(label, table))
                    .Select(r => $"{label} changed {table} {r.Key}: {old[r.Key]} -> {r.Value}"));
                failures.AddRange(rows.Where(r => !old.ContainsKey(r.Key) && Foreign(world, table, r.Value))
                    .Select(r => $"{label} created {table} {r.Key} for another organisation: {r.Value}"));
            }
        }

        output.WriteLine($"{writes.Count} write requests with extra fields; answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(writes.Count >= 60, $"only {writes.Count} write requests");
        Assert.True(statuses.Where(s => s.Key is >= 200 and < 400).Sum(s => s.Value) >= 20, "too few writes were accepted to prove anything");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>Columns an endpoint exists to change: a vacancy's state by publish/close/fill, a seeker's sign-in by "set password".</summary>
    private static bool Allowed(string label, string table) => table switch
    {
        "vacancy" => label.Contains("publish", StringComparison.OrdinalIgnoreCase) || label.Contains("close", StringComparison.OrdinalIgnoreCase)
            || label.Contains("fill", StringComparison.OrdinalIgnoreCase),
        "seeker" => label.Contains("password", StringComparison.OrdinalIgnoreCase),
        "employer" => label.Contains("/verify", StringComparison.Ordinal) || label.Contains("/suspend", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Whether a new row names the other organisation set or a privileged value sent in the extras.</summary>
    /// <summary>
    /// True when a created row names another organisation's record or an old date. Compared column by column with
    /// the ids of the same kind: ids of different tables come from different sequences, so a seeker id may equal a
    /// vacancy id (and "12" is inside "112"); comparing the whole row as text made this test fail by the order in which
    /// earlier tests had filled the shared database.
    /// </summary>
    private static bool Foreign(SecurityWorld world, string table, string row)
    {
        var other = world.Other;
        static string Text(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] organisations = [other.Employer.Id.ToString(), other.Worker.AgencyId.ToString(), other.ProviderId.ToString()];
        var columns = Protected.Single(p => p.Table == table).Columns.Split(',', StringSplitOptions.TrimEntries);
        var values = row.Split('|');
        return columns.Zip(values).Any(cell => cell.Second.StartsWith("2000-01-01", StringComparison.Ordinal) || cell.First switch
        {
            "organisation_id" or "employer_id" or "agency_id" or "provider_id" => organisations.Contains(cell.Second, StringComparer.OrdinalIgnoreCase),
            "seeker_id" => cell.Second == Text(other.Seeker.Id),
            "vacancy_id" => other.Vacancies.Any(id => cell.Second == Text(id)),
            _ => false,
        });
    }

    /// <summary>Every write of the catalogue as (label, role, send), with own ids, a valid body and the extras.</summary>
    private IEnumerable<(string Label, string Role, Func<HttpClient, Task<HttpResponseMessage>> Send)> Writes(SecurityWorld world)
    {
        var extras = Extras(world);
        foreach (var endpoint in EndpointCatalogue.All(world.App.Services))
        {
            if (NotFieldWrites.Any(n => endpoint.Route.StartsWith(n, StringComparison.Ordinal)) || endpoint.Anonymous || endpoint.Roles.Count == 0) continue;
            var role = endpoint.Roles[0];
            var row = new AuthorizationMatrix.Row("POST", endpoint.Route, endpoint.Roles, AuthorizationMatrix.Scope.None, endpoint.IsPage);
            if (endpoint.IsPage)
            {
                foreach (var handler in PageHandlers.Post(endpoint.Route).Where(h => h.Name != "Erase"))
                {
                    var (path, form) = MatrixPaths.Fill(new AuthorizationMatrix.Cell(row, handler.Name, handler.FormIds, role, AuthorizationMatrix.Ownership.Own,
                        AuthorizationMatrix.Expected.Success), world);
                    foreach (var (key, value) in extras) form.TryAdd(key, value?.ToString() ?? "");
                    foreach (var (key, value) in extras) form.TryAdd("Input." + key, value?.ToString() ?? "");
                    foreach (var (key, value) in extras) form.TryAdd("Profile." + key, value?.ToString() ?? "");
                    yield return ($"POST {path}", role, client => client.PostAsync(path, new FormUrlEncodedContent(form)));
                }
                continue;
            }
            foreach (var method in endpoint.Methods.Intersect(["POST", "PUT", "PATCH"]))
            {
                var (path, _) = MatrixPaths.Fill(new AuthorizationMatrix.Cell(row, "", [], role, AuthorizationMatrix.Ownership.Own, AuthorizationMatrix.Expected.Success), world);
                yield return ($"{method} {path}", role, async client =>
                {
                    var body = await ValidBodyAsync(client, method, endpoint.Route, path, world) ?? new JsonObject();
                    foreach (var (key, value) in extras) if (!body.ContainsKey(key)) body[key] = value?.DeepClone();
                    return await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
                    {
                        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
                    });
                });
            }
        }
    }

    /// <summary>Fields that name the other organisation's records, privileged states and old dates, in both spellings.</summary>
    private static JsonObject Extras(SecurityWorld world)
    {
        var other = world.Other;
        var extras = new JsonObject();
        void Add(string camel, string snake, JsonNode value)
        {
            extras[camel] = value.DeepClone();
            extras[snake] = value.DeepClone();
        }
        Add("id", "_id", other.Vacancy);
        Add("employerId", "employer_id", other.Employer.Id.ToString());
        Add("organisationId", "organisation_id", other.Employer.Id.ToString());
        Add("agencyId", "agency_id", other.Worker.AgencyId.ToString());
        Add("providerId", "provider_id", other.ProviderId.ToString());
        Add("seekerId", "seeker_id", other.Seeker.Id);
        Add("vacancyId", "vacancy_id", other.Vacancy);
        Add("matchId", "match_id", other.OfferMatch);
        Add("userId", "user_id", Guid.NewGuid().ToString());
        Add("reference", "seeker_reference", other.Seeker.Reference);
        Add("handle", "candidate_handle", other.Handle);
        Add("status", "state", "verified");
        Add("verified", "is_verified", true);
        Add("verifiedAt", "verified_at", "2000-01-01T00:00:00Z");
        Add("role", "roles", "admin");
        Add("kind", "membership", "platform");
        Add("createdAt", "created_at", "2000-01-01T00:00:00Z");
        Add("requiresMatchReview", "requires_match_review", false);
        Add("disabled", "two_factor_enabled", false);
        return extras;
    }

    /// <summary>A body the endpoint accepts, for the writes whose effect is worth proving; null sends only the extras.</summary>
    private static async Task<JsonObject?> ValidBodyAsync(HttpClient client, string method, string route, string path, SecurityWorld world)
    {
        var own = world.Own;
        async Task<long> VersionAsync(string from) =>
            (await client.GetFromJsonAsync<JsonElement>(from)).TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        object? body = (method, route) switch
        {
            ("POST", "/api/vacancies/") => BoardTestData.Input(BoardTestData.Token()),
            ("PUT", "/api/vacancies/{id:long}") => WithVersion(BoardTestData.Input(BoardTestData.Token()), await VersionAsync(path)),
            ("PUT", "/api/employers/me/") => await EmployerProfileAsync(client),
            ("POST", "/api/casework/seekers/") => new
            {
                fullName = "Mass Assignment", phone = "+8801" + Random.Shared.NextInt64(100000000, 999999999), dateOfBirth = "1999-04-12",
                preferredLanguage = "bn", matchingConsentMethod = "in_person",
                profile = new { upazilaCode = "ukhia", educationLevel = 2, languages = new[] { "bn" }, wants = "wage", preferredSectors = new[] { "hospitality" }, gender = "F", birthYear = 1999 },
            },
            ("PUT", "/api/casework/seekers/{reference}/profile") => new
            {
                version = await VersionAsync($"/api/casework/seekers/{own.Seeker.Reference}"),
                profile = new { upazilaCode = "ukhia", educationLevel = 3, languages = new[] { "bn" }, wants = "wage", preferredSectors = new[] { "hospitality" }, gender = "F", birthYear = 1999 },
            },
            ("PUT", "/api/casework/seekers/{reference}/casefile") => new
            {
                version = await VersionAsync($"/api/casework/seekers/{own.Seeker.Reference}/casefile"), survivorStatus = "trafficking_survivor", referralSource = "mass assignment",
            },
            ("PUT", "/api/casework/seekers/{reference}/rules") => new
            {
                version = await VersionAsync($"/api/casework/seekers/{own.Seeker.Reference}"),
                rules = new { blockedSectors = new[] { "construction" }, blockedUpazilas = Array.Empty<string>(), blockedEmployerIds = Array.Empty<Guid>() },
            },
            ("POST", "/api/casework/seekers/{reference}/casefile/notes") => new { body = "mass assignment note" },
            ("PUT", "/api/casework/seekers/{reference}/skills/{skillCode}") => new { level = 3, source = "assessed", monthsExperience = 20 },
            ("POST", "/api/casework/seekers/{reference}/consents") => new { purpose = "notifications", method = "in_person", channels = new[] { "sms", "email" } },
            ("POST", "/api/casework/seekers/{reference}/enrolments") => new { providerId = own.ProviderId, consentMethod = "in_person" },
            ("PUT", "/api/training/trainees/{trainee}/skills/{skillCode}") => new { level = 2, source = "assessed", monthsExperience = 5 },
            ("POST", "/api/training/courses") => new { code = "MA-" + Guid.NewGuid().ToString("N")[..6], name = "Mass", skills = new[] { new { skillCode = SecurityWorld.SkillCode, level = 1 } } },
            ("POST", "/api/training/courses/{code}/completions") => new { traineeNumber = own.TraineeNumber, completedOn = "2025-02-01", certified = true },
            ("POST", "/api/employer/vacancies/{id:long}/candidates/{handle}/outcome") => new { outcome = "interviewed" },
            ("POST", "/api/casework/offers/{matchId:long}/accept") => new { seekerAgreed = true },
            ("POST", "/api/casework/review/{matchId:long}/skip") => new { reason = "other" },
            _ => null,
        };
        return body is null ? null : JsonSerializer.SerializeToNode(body, JsonSerializerOptions.Web)!.AsObject();
    }

    private static JsonObject WithVersion(JobMatch.Vacancies.VacancyInput input, long version)
    {
        var node = JsonSerializer.SerializeToNode(input, JsonSerializerOptions.Web)!.AsObject();
        node["version"] = version;
        return node;
    }

    private static async Task<object> EmployerProfileAsync(HttpClient client)
    {
        var me = await client.GetFromJsonAsync<JsonElement>("/api/employers/me");
        return new
        {
            name = me.GetProperty("name").GetString(), membership = "chamber", membershipNumber = me.GetProperty("membershipNumber").GetString(),
            tradeLicenceNumber = "TL-MASS", contactPerson = "Contact", contactPhone = "+8801711000000", address = "Main Road",
            sectorCode = "garments", version = me.GetProperty("version").GetInt64(),
        };
    }

    /// <summary>Per protected table: primary key → its protected columns as text.</summary>
    private async Task<Dictionary<string, Dictionary<string, string>>> SnapshotAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var result = new Dictionary<string, Dictionary<string, string>>();
        foreach (var (table, key, columns) in Protected)
        {
            var cells = string.Join(", ", columns.Split(',', StringSplitOptions.TrimEntries).Select(c => $"coalesce({c}::text, '')"));
            var rows = await connection.QueryAsync<(string Key, string Value)>($"SELECT {key}::text, concat_ws('|', {cells}) FROM {table}");
            result[table] = rows.ToDictionary(r => r.Key, r => r.Value);
        }
        return result;
    }
}
