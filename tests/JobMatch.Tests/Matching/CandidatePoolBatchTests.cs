using Dapper;
using JobMatch.Database;
using JobMatch.Matching;
using JobMatch.Skills;
using JobMatch.Tests.Infrastructure;
using Npgsql;

namespace JobMatch.Tests.Matching;

/// <summary>
/// The nightly pass reads the pools of many vacancies in one statement (<see cref="CandidateQueries.CandidateIdsAsync(NpgsqlConnection, long[], MatchingOptions, CancellationToken)"/>);
/// per-vacancy proposing reads one. Both must give the same seekers in the same order, limit included. A database of
/// its own: pools depend on every seeker present, and other tests add seekers to the shared one at any moment.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CandidatePoolBatchTests(PostgresFixture database) : IAsyncLifetime
{
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync()
    {
        var connectionString = database.CreateDatabase("jobmatch_pools_" + Guid.NewGuid().ToString("N")[..8]);
        DatabaseMigrator.Migrate(connectionString);
        _db = NpgsqlDataSource.Create(connectionString);
        await new ReferenceData(_db).LoadAsync(PostgresFixture.SeedDirectory, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData(1000)]
    [InlineData(3)]
    public async Task CandidateIds_ForManyVacanciesAtOnce_AreThePerVacancyPools(int poolSize)
    {
        var vacancies = await WorldAsync();
        var options = new MatchingOptions { CandidatePool = poolSize };
        var queries = new CandidateQueries();
        await using var c = await _db.OpenConnectionAsync();
        var open = await queries.OpenVacanciesAsync(c, vacancies, CancellationToken.None);
        var single = new Dictionary<long, long[]>();
        foreach (var v in open) single[v.Id] = await queries.CandidateIdsAsync(c, v, options, CancellationToken.None);

        var batch = await queries.CandidateIdsAsync(c, open.Select(v => v.Id).ToArray(), options, CancellationToken.None);

        Assert.Equal(5, open.Count); // the closed vacancy is not read as open
        Assert.True(single.Values.Count(p => p.Length > 0) >= 4, "most vacancies have a pool");
        foreach (var (id, pool) in single) Assert.Equal(pool, batch.GetValueOrDefault(id) ?? []);
        Assert.Empty(batch.Keys.Except(single.Keys));
    }

    /// <summary>Six vacancies (one closed, one without skills) and seekers who pass or break each hard filter.</summary>
    private async Task<long[]> WorldAsync()
    {
        var world = new MatchingWorld(_db);
        var agency = await world.AgencyAsync();
        var employer = await world.EmployerAsync();
        var other = await world.EmployerAsync();
        long[] vacancies =
        [
            await world.VacancyAsync(employer, ("GAR-001", 2, true), ("GAR-002", 1, false)),
            await world.VacancyAsync(employer, ("GAR-002", 1, false), ("GAR-003", 1, false)),
            await world.VacancyAsync(other, ("GAR-001", 1, true), ("GAR-003", 1, true)),
            await world.VacancyAsync(other, ("GAR-004", 1, false), ("GAR-001", 1, false)),
            await world.VacancyAsync(other),
            await world.VacancyAsync(employer, ("GAR-001", 1, true)),
        ];
        await ExecuteAsync("UPDATE vacancy SET status = 'closed' WHERE id = @id", new { id = vacancies[5] });
        await ExecuteAsync("UPDATE vacancy SET min_education_level = 3 WHERE id = @id", new { id = vacancies[1] });
        string[] codes = ["GAR-001", "GAR-002", "GAR-003", "GAR-004"];
        for (var i = 0; i < 16; i++)
        {
            // 1-4 skills each, so overlaps differ and a pool of 3 must choose by overlap, then id.
            var skills = codes.Where((_, k) => (i >> k & 1) == 1 || k == i % 4).Select(code => (code, 1 + i % 3)).ToArray();
            var (id, _) = await world.SeekerAsync(agency, skills, consent: i != 5, upazila: i == 7 ? "teknaf" : "coxs_bazar_sadar", maxTravelKm: i == 7 ? 5 : 30);
            if (i == 9) await ExecuteAsync("UPDATE seeker SET blocked_employer_ids = @ids WHERE id = @id", new { ids = new[] { other }, id });
            if (i == 11) await ExecuteAsync("UPDATE seeker SET status = 'paused' WHERE id = @id", new { id });
            if (i == 13) await ExecuteAsync("UPDATE seeker SET education_level = 4 WHERE id = @id", new { id });
        }
        return vacancies;
    }

    private async Task ExecuteAsync(string sql, object args)
    {
        await using var c = await _db.OpenConnectionAsync();
        await c.ExecuteAsync(sql, args);
    }
}
