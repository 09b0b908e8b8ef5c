using System.Collections.Concurrent;
using Dapper;
using Hangfire;
using Hangfire.Server;
using JobMatch.Tests.Faults;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.BackgroundJobs;

/// <summary>
/// Two app processes' worth of Hangfire servers on one database: a recurring job fires once per schedule and each
/// fire runs once (Hangfire's distributed locks on PostgreSQL).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoHostsTests(PostgresFixture database, Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>A host running a Hangfire server, every recurring job switched off (a test switches on what it needs).</summary>
    internal static Dictionary<string, string?> ServerSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["BackgroundJobs:RunServer"] = "true",
            ["BackgroundJobs:WorkerCount"] = "2",
            ["BackgroundJobs:SchedulePollingInterval"] = "00:00:01",
            ["BackgroundJobs:QueuePollInterval"] = "00:00:01",
            ["BackgroundJobs:ShutdownTimeout"] = "00:00:05",
        };
        foreach (var schedule in JobMatch.BackgroundJobs.RecurringJobs.All) settings[$"BackgroundJobs:Schedules:{schedule.Id}"] = "off";
        return settings;
    }

    [Fact]
    public async Task RecurringJob_FiresOncePerSchedule_WhenTwoHostsRunServersOnOneDatabase()
    {
        await using var first = new JobMatchApp(database, ServerSettings());
        await using var second = new JobMatchApp(database, ServerSettings());
        _ = first.Services;
        _ = second.Services; // both hosts started: two Hangfire servers polling the same schema
        var run = Guid.NewGuid();
        var recurringId = $"test-fire-{run:N}";

        first.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<RecordRecurringFire>(recurringId, job => job.RunAsync(run, null!), "*/2 * * * * *");
        // Wait (bounded) for three fires of the two-second schedule, rather than a fixed time: enough to see a fire run twice.
        await FaultWorld.WaitUntilAsync(
            () => Task.FromResult(RecordRecurringFire.Executions.Where(e => e.Run == run).Select(e => e.FireTime).Distinct().Count() >= 3),
            TimeSpan.FromSeconds(60), "three fires of the recurring job");
        second.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(recurringId);
        // Let fires already enqueued finish: wait (bounded) until every job created for the schedule has run.
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var recurring = $"\"{recurringId}\"";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            var created = await connection.ExecuteScalarAsync<int>(
                "SELECT count(*)::int FROM hangfire.jobparameter WHERE name = 'RecurringJobId' AND value = @recurring", new { recurring });
            if (created > 0 && created == RecordRecurringFire.Executions.Count(e => e.Run == run)) break;
        }

        var executions = RecordRecurringFire.Executions.Where(e => e.Run == run).ToList();
        Assert.True(executions.Select(e => e.FireTime).Distinct().Count() >= 2, $"expected several fires, got {executions.Count}");
        Assert.All(executions.GroupBy(e => e.FireTime), fire => Assert.Single(fire));
        output.WriteLine($"{executions.Count} executions at {executions.Select(e => e.FireTime).Distinct().Count()} fire times, on servers: "
            + string.Join(", ", executions.Select(e => e.Server).Distinct()));

        var jobsPerFire = await connection.QueryAsync<int>(
            """
            SELECT count(*)::int FROM hangfire.jobparameter t
            JOIN hangfire.jobparameter r ON r.jobid = t.jobid AND r.name = 'RecurringJobId' AND r.value = @recurring
            WHERE t.name = 'Time'
            GROUP BY t.value
            """, new { recurring });
        Assert.NotEmpty(jobsPerFire);
        Assert.All(jobsPerFire, count => Assert.Equal(1, count));
        Assert.Equal(executions.Count, jobsPerFire.Sum());
    }
}

/// <summary>A test job that records each execution with the schedule time it was created for.</summary>
public sealed class RecordRecurringFire
{
    internal static readonly ConcurrentQueue<(Guid Run, long FireTime, string Server)> Executions = new();

    public Task RunAsync(Guid run, PerformContext context)
    {
        Executions.Enqueue((run, context.GetJobParameter<long>("Time"), context.ServerId));
        return Task.CompletedTask;
    }
}
