using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Seekers;

[Collection(PostgresCollection.Name)]
public sealed class SeekerErasureTests(PostgresFixture database)
{
    [Fact]
    public async Task Erasure_LeavesNoIdentityCanary_KeepsSkillsUnderReference_AndIsIdempotent()
    {
        await using var app = new JobMatchApp(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var c = SeekerApi.Canaries.New();
        var reference = await SeekerApi.RegisterAsync(client, c);
        await SeekerApi.WriteCaseFileAsync(client, reference, c);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"/api/casework/seekers/{reference}/skills/HOS-002",
            new { level = 2, source = "self_declared", monthsExperience = 12 })).StatusCode);
        // A sign-in account: its user name is the phone number (stored only as a blind index and ciphertext), so
        // erasure must remove it too.
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/casework/seekers/{reference}/password",
            new { password = "a long seeker password" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/casework/seekers/{reference}")).StatusCode);
        var afterFirst = await SnapshotAsync(reference);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/casework/seekers/{reference}")).StatusCode);
        var afterSecond = await SnapshotAsync(reference);

        Assert.Empty(await DatabaseScan.FindAsync(database.DataSource, c.All.Append(c.Phone)));
        Assert.Equal(afterFirst, afterSecond);
        Assert.StartsWith("erased|1|0|0|0|0|", afterFirst);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/casework/seekers/{reference}")).StatusCode);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE subject = @subject AND action = 'seeker_erased'", new { subject = $"seeker:{reference}" }));
    }

    /// <summary>status | skill records | identity rows | case files+notes | consents | user id | version.</summary>
    private async Task<string> SnapshotAsync(string reference)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(
            """
            SELECT concat_ws('|', s.status,
                (SELECT count(*) FROM seeker_skill WHERE seeker_id = s.id),
                (SELECT count(*) FROM seeker_identity WHERE seeker_id = s.id),
                (SELECT count(*) FROM casefile.case_file WHERE seeker_id = s.id) + (SELECT count(*) FROM casefile.case_note WHERE seeker_id = s.id),
                (SELECT count(*) FROM consent WHERE seeker_id = s.id),
                (SELECT count(*) FROM seeker WHERE id = s.id AND user_id IS NOT NULL),
                s.version, s.skill_ids::text)
            FROM seeker s WHERE s.reference = @reference
            """, new { reference }) ?? "";
    }
}
