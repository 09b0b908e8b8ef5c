using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Seekers;

/// <summary>Test helpers: a case worker client, registering seekers with canary identities through the API.</summary>
internal static class SeekerApi
{
    public sealed record Canaries(string Name, string Phone, string Email, string Address, string Note, string Referral)
    {
        public IEnumerable<string> All => [Name, Phone.Replace("+88", ""), Email, Address, Note, Referral];

        public static Canaries New()
        {
            var tag = Guid.NewGuid().ToString("N")[..8];
            var digits = string.Concat(Guid.NewGuid().ToByteArray().Take(8).Select(b => (char)('0' + b % 10)));
            return new($"CANARYNAME{tag} Begum", $"+88017{digits}", $"canary{tag}@example.org", $"CANARYADDR{tag} Road 7",
                $"CANARYNOTE{tag} was held in a shelter", $"CANARYREF{tag} NGO");
        }
    }

    public static async Task<HttpClient> CaseWorkerAsync(JobMatchApp app, Guid? agencyId = null)
    {
        var (client, _) = await app.SignedInClientAsync(Roles.CaseWorker, agencyId);
        await JobMatchApp.UseApiTokenAsync(client);
        return client;
    }

    /// <summary>The training provider's own number for this seeker (made when the case worker enrolled them).</summary>
    public static async Task<string> TraineeNumberAsync(Npgsql.NpgsqlDataSource db, string reference, Guid? providerId = null)
    {
        await using var c = await db.OpenConnectionAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string>(c,
            """
            SELECT tn.number FROM trainee_number tn JOIN seeker s ON s.id = tn.seeker_id
            WHERE s.reference = @reference AND (@providerId::uuid IS NULL OR tn.provider_id = @providerId)
            """, new { reference, providerId }) ?? throw new InvalidOperationException("not enrolled");
    }

    public static async Task<string> RegisterAsync(HttpClient client, Canaries c, bool consent = true, string? upazila = "ukhia")
    {
        var response = await client.PostAsJsonAsync("/api/casework/seekers", new
        {
            fullName = c.Name, phone = c.Phone, email = c.Email, address = c.Address, dateOfBirth = "1999-04-12", preferredLanguage = "bn",
            matchingConsentMethod = consent ? "in_person" : null,
            profile = new { upazilaCode = upazila, educationLevel = 2, languages = new[] { "bn" }, wants = "wage", preferredSectors = new[] { "hospitality" }, gender = "F", birthYear = 1999 },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("reference").GetString()!;
    }

    public static async Task WriteCaseFileAsync(HttpClient client, string reference, Canaries c)
    {
        var put = await client.PutAsJsonAsync($"/api/casework/seekers/{reference}/casefile", new { version = 0, survivorStatus = "trafficking_survivor", referralSource = c.Referral });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var note = await client.PostAsJsonAsync($"/api/casework/seekers/{reference}/casefile/notes", new { body = c.Note });
        Assert.Equal(HttpStatusCode.NoContent, note.StatusCode);
    }

    public static async Task<long> VersionAsync(HttpClient client, string reference) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/casework/seekers/{reference}")).GetProperty("version").GetInt64();
}
