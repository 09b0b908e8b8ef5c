using Dapper;
using JobMatch.Ranking;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>The taxonomy facts features need (skill code → sector), read once; the taxonomy changes only at start-up.</summary>
internal sealed class SkillCatalog(NpgsqlDataSource db)
{
    private FeatureContext? _context;

    public async Task<FeatureContext> FeatureContextAsync(CancellationToken ct)
    {
        if (_context is not null) return _context;
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string Code, string SectorCode)>(new CommandDefinition(
            "SELECT code, sector_code FROM skill", cancellationToken: ct));
        _context = new FeatureContext(rows.ToDictionary(r => r.Code, r => r.SectorCode, StringComparer.Ordinal));
        return _context;
    }
}
