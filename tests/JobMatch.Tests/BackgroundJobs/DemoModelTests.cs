using System.Diagnostics;
using Dapper;
using JobMatch.BackgroundJobs;
using JobMatch.Matching;
using JobMatch.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobMatch.Tests.BackgroundJobs;

/// <summary>Demo mode's first ranking model: trained in the background from a simulated world over the real taxonomy, once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DemoModelTests(PostgresFixture database, ITestOutputHelper output)
{
    [Fact]
    public async Task TrainDemoRankingModel_RegistersOneActiveSimulatedWorldModel_WhenNoModelExists()
    {
        await using var app = new JobMatchApp(database);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.False(await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM ranking_model WHERE trained_from = 'simulated_world')"),
            "precondition: another test left a simulated-world model behind");
        var lastVersion = await connection.ExecuteScalarAsync<int>("SELECT coalesce(max(version), 0) FROM ranking_model");
        var previouslyActive = await connection.ExecuteScalarAsync<int?>("UPDATE ranking_model SET active = false WHERE active RETURNING version");
        try
        {
            var clock = Stopwatch.StartNew();
            await DomainJobsData.RunAsync<TrainDemoRankingModel>(app.Services, j => j.RunAsync(CancellationToken.None));
            output.WriteLine($"Demo model (1500 seekers x 300 vacancies, simulate + train + evaluate + register): {clock.ElapsedMilliseconds} ms");
            await DomainJobsData.RunAsync<TrainDemoRankingModel>(app.Services, j => j.RunAsync(CancellationToken.None));

            var models = (await connection.QueryAsync<(string TrainedFrom, bool Active, int Rows)>(
                "SELECT trained_from, active, training_rows FROM ranking_model WHERE version > @lastVersion", new { lastVersion })).ToList();
            var model = Assert.Single(models);
            Assert.Equal(ModelRegistry.SimulatedWorld, model.TrainedFrom);
            Assert.True(model.Active);
            Assert.True(model.Rows > 1000, $"{model.Rows} training rows");
        }
        finally
        {
            // Leave the registry as it was: other tests expect the rule ranker unless they register a model themselves.
            await connection.ExecuteAsync("DELETE FROM ranking_model WHERE version > @lastVersion", new { lastVersion });
            if (previouslyActive is { } version) await connection.ExecuteAsync("UPDATE ranking_model SET active = true WHERE version = @version", new { version });
        }
    }
}
