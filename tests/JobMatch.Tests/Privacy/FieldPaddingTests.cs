using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.Privacy;
using JobMatch.Seekers;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;

namespace JobMatch.Tests.Privacy;

/// <summary>
/// Length-hiding encryption (issue 14): a value is padded to its field's size before AES-GCM, so the stored length of
/// a survivor status is the same for every status, and names in one bucket share a length.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FieldPaddingTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task SurvivorStatus_HasOneStoredLength_ForEveryStatus()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var references = new List<string>();
        foreach (var status in CaseFileQueries.SurvivorStatuses)
        {
            var reference = await SeekerApi.RegisterAsync(client, SeekerApi.Canaries.New());
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/casework/seekers/{reference}/casefile",
                new { version = 0, survivorStatus = status, referralSource = (string?)null })).StatusCode);
            references.Add(reference);
        }

        await using var connection = await database.DataSource.OpenConnectionAsync();
        var lengths = (await connection.QueryAsync<int>(
            """
            SELECT DISTINCT octet_length(f.survivor_status) FROM casefile.case_file f JOIN seeker s ON s.id = f.seeker_id
            WHERE s.reference = ANY(@references)
            """, new { references = references.ToArray() })).ToList();
        Assert.Equal(4, CaseFileQueries.SurvivorStatuses.Length);
        Assert.Single(lengths);
    }

    [Fact]
    public async Task Names_OfDifferentLengthsInOneBucket_ShareAStoredLength()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        // 3, 29 and 47 UTF-8 bytes (Bangla letters take 3 bytes each): all in the first 64-byte bucket.
        string[] names = ["Ali", "Rahima Begum Chowdhury Khatun", "রহিমা বেগম চৌধুরী"];
        var references = new List<string>();
        foreach (var name in names)
        {
            references.Add(await SeekerApi.RegisterAsync(client, SeekerApi.Canaries.New() with { Name = name }));
        }

        await using var connection = await database.DataSource.OpenConnectionAsync();
        var lengths = (await connection.QueryAsync<int>(
            """
            SELECT DISTINCT octet_length(i.full_name) FROM seeker_identity i JOIN seeker s ON s.id = i.seeker_id
            WHERE s.reference = ANY(@references)
            """, new { references = references.ToArray() })).ToList();
        Assert.Single(lengths);
    }

    [Theory]
    [InlineData(0, "Fixed", 32)]
    [InlineData(28, "Fixed", 32)]
    [InlineData(0, "Short", 64)]
    [InlineData(60, "Short", 64)]
    [InlineData(61, "Short", 128)]
    [InlineData(252, "Long", 256)]
    [InlineData(253, "Long", 512)]
    public void PaddedSize_RoundsUpToTheFieldsBucket(int length, string size, int expected) =>
        Assert.Equal(expected, FieldKeyRing.PaddedSize(length, Enum.Parse<FieldSize>(size)));

    [Fact]
    public void PaddedSize_Refuses_WhenAFixedSizeValueDoesNotFit() =>
        Assert.Throws<ArgumentException>(() => FieldKeyRing.PaddedSize(29, FieldSize.Fixed));
}
