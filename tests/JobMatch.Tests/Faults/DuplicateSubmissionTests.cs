using System.Net;
using System.Net.Http.Json;
using JobMatch.Tests.Infrastructure;
using JobMatch.Vacancies;
using Xunit.Abstractions;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Faults;

/// <summary>
/// Double submissions and concurrent edits (SECURITY.md F7, F8) against the real app in-process: the same create
/// with one Idempotency-Key makes one draft; edits from one version have exactly one winner.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class DuplicateSubmissionTests(PostgresFixture database, ITestOutputHelper output) : IAsyncLifetime
{
    private JobMatchApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new JobMatchApp(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task VacancyCreate_MakesOneDraft_WhenTheSameKeyIsPostedTwice()
    {
        var (client, employerId) = await EmployerClientAsync(_app);
        var key = Guid.NewGuid().ToString("N");

        var first = await PostAsync(client, key);
        var second = await PostAsync(client, key);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1, await RowsAsync(employerId, key));
    }

    [Fact]
    public async Task VacancyCreate_MakesOneDraft_When20ParallelRequestsShareAKey()
    {
        var (client, employerId) = await EmployerClientAsync(_app);
        var key = Guid.NewGuid().ToString("N");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync(client, key)));

        output.WriteLine($"20 parallel creates with one key: {answers.Count(a => a.Status == HttpStatusCode.Created)} × 201, " +
            $"{answers.Count(a => a.Status == HttpStatusCode.OK)} × 200, {answers.Select(a => a.Id).Distinct().Count()} distinct id(s), {await RowsAsync(employerId, key)} row(s)");
        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.Equal(answers[0].Id, a.Id));
        Assert.Equal(1, await RowsAsync(employerId, key));
    }

    [Fact]
    public async Task VacancyCreate_Answers400AndCreatesNothing_WhenKeyIsTooLong()
    {
        var (client, employerId) = await EmployerClientAsync(_app);

        var answer = await PostAsync(client, new string('k', VacancyEndpoints.MaxIdempotencyKeyLength + 1));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(0, await ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy WHERE employer_id = @employerId", new { employerId }));
    }

    [Fact]
    public async Task VacancyUpdate_HasExactlyOneWinner_WhenTenEditsRaceFromOneVersion()
    {
        var (client, _) = await EmployerClientAsync(_app);
        var token = Token();
        var id = await CreateDraftAsync(client, Input(token));

        var answers = await Task.WhenAll(Enumerable.Range(1, 10).Select(async openings =>
            (Openings: openings, (await client.PutAsJsonAsync($"/api/vacancies/{id}", Input(token, v => (v.Version, v.Openings) = (1, openings)))).StatusCode)));

        var winner = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a != winner), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        Assert.Equal(winner.Openings, await ScalarAsync<int>(database.DataSource, "SELECT openings FROM vacancy WHERE id = @id AND version = 2", new { id }));
    }

    [Fact]
    public async Task VacancyUpdates_LoseNothing_WhenFiveClientsInterleaveReadAndWrite()
    {
        var (client, _) = await EmployerClientAsync(_app);
        var token = Token();
        var id = await CreateDraftAsync(client, Input(token));

        // Five clients, six rounds each of "read the version, write from it": every 200 must be one version step.
        var wins = await Task.WhenAll(Enumerable.Range(0, 5).Select(async c =>
        {
            var won = 0;
            for (var round = 0; round < 6; round++)
            {
                var current = await client.GetFromJsonAsync<VacancyRecord>($"/api/vacancies/{id}");
                var answer = await client.PutAsJsonAsync($"/api/vacancies/{id}", Input(token, v => (v.Version, v.Openings) = (current!.Version, c * 10 + round + 1)));
                if (answer.StatusCode == HttpStatusCode.OK) won++;
                else Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
            }
            return won;
        }));

        var version = await ScalarAsync<long>(database.DataSource, "SELECT version FROM vacancy WHERE id = @id", new { id });
        output.WriteLine($"5 clients × 6 read-then-write rounds: {wins.Sum()} accepted, {30 - wins.Sum()} answered 409, version {version}");
        Assert.Equal(wins.Sum(), version - 1);
    }

    private static async Task<(HttpStatusCode Status, long? Id)> PostAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/vacancies") { Content = JsonContent.Create(Input(key[..Math.Min(key.Length, 20)])) };
        request.Headers.Add(VacancyEndpoints.IdempotencyKeyHeader, key);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<VacancyRecord>())!.Id : null);
    }

    private Task<long> RowsAsync(Guid employerId, string key) =>
        ScalarAsync<long>(database.DataSource, "SELECT count(*) FROM vacancy WHERE employer_id = @employerId AND idempotency_key = @key", new { employerId, key });
}
