using Dapper;
using JobMatch.Ranking;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// The ranker that serves: the active model from the registry, loaded once per version and shared (scoring is a
/// thread-safe batch Transform), or the transparent rule ranker when no model is active or its bytes do not load.
/// The active version is looked up at most every few seconds, so a promotion on another node is picked up.
/// </summary>
internal sealed class RankerProvider(NpgsqlDataSource db, TimeProvider time, ILogger<RankerProvider> logger)
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Serving? _current;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    public sealed record Serving(IRanker Ranker, string Kind, int? ModelVersion, bool Degraded, string Description);

    public async Task<Serving> CurrentAsync(CancellationToken ct)
    {
        if (_current is { } fresh && time.GetUtcNow() - _checkedAt < RefreshEvery) return fresh;
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } again && time.GetUtcNow() - _checkedAt < RefreshEvery) return again;
            await using var connection = await db.OpenConnectionAsync(ct);
            var active = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
                "SELECT version FROM ranking_model WHERE active", cancellationToken: ct));
            if (_current is not null && _current.ModelVersion == active && active is not null)
            {
                _checkedAt = time.GetUtcNow();
                return _current;
            }
            _current = await LoadAsync(connection, active, ct);
            Observability.JobMatchMetrics.RankerInUse(_current.Kind, fellBack: _current.Degraded);
            _checkedAt = time.GetUtcNow();
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forget the cached model (after a promotion in this process).</summary>
    public void Invalidate() => _checkedAt = DateTimeOffset.MinValue;

    private async Task<Serving> LoadAsync(NpgsqlConnection connection, int? version, CancellationToken ct)
    {
        if (version is null)
        {
            return new Serving(new RuleRanker(), "rule", null, Degraded: false, "No model trained yet: the rule-based ranker serves.");
        }
        var bytes = await connection.ExecuteScalarAsync<byte[]>(new CommandDefinition(
            "SELECT model FROM ranking_model WHERE version = @version", new { version }, cancellationToken: ct));
        if (ModelRanker.TryLoad(bytes) is { } model)
        {
            logger.LogInformation("Ranking model {Version} loaded", version);
            return new Serving(model, "model", version, Degraded: false, $"Model {version} serves.");
        }
        logger.LogWarning("Ranking model {Version} could not be loaded; the rule-based ranker serves", version);
        return new Serving(new RuleRanker(), "rule", null, Degraded: true, $"Model {version} could not be loaded: the rule-based ranker serves.");
    }
}
