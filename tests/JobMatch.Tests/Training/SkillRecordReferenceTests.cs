using Dapper;
using JobMatch.Tests.Infrastructure;
using Npgsql;

namespace JobMatch.Tests.Training;

/// <summary>
/// seeker_skill's references are checked by the database once per statement (migration 2201, issue 18 B1) instead of
/// by per-row foreign keys; these are the guarantees the foreign keys gave, for any writer, not only the upload's merge.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SkillRecordReferenceTests(PostgresFixture database)
{
    [Fact]
    public async Task SkillRecord_IsRefused_WhenItsSeekerSkillOrCertifierDoesNotExist()
    {
        var (agency, seeker) = await SeekerAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();

        var noSeeker = await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(c, [(seeker, 1), (-1, 1)], agency));
        var noSkill = await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(c, [(seeker, 1), (seeker, -7)], agency));
        var noCertifier = await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(c, [(seeker, 1)], Guid.NewGuid()));
        await InsertAsync(c, [(seeker, 1), (seeker, 2)], agency);
        var badUpdate = await Assert.ThrowsAsync<PostgresException>(() => c.ExecuteAsync(
            "UPDATE seeker_skill SET certified_by = @nobody WHERE seeker_id = @seeker", new { nobody = Guid.NewGuid(), seeker }));

        Assert.All(new[] { noSeeker, noSkill, noCertifier, badUpdate }, e => Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, e.SqlState));
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT count(*)::int FROM seeker_skill WHERE seeker_id = @seeker", new { seeker }));
    }

    [Fact]
    public async Task DeletingSeeker_DeletesItsSkillRecords_AndDeletingANamedCertifierOrSkill_IsRefused()
    {
        var (agency, seeker) = await SeekerAsync();
        var certifier = Guid.CreateVersion7();
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync("INSERT INTO organisation (id, kind, name) VALUES (@certifier, 'training_provider', 'Certifier')", new { certifier });
        await InsertAsync(c, [(seeker, 1), (seeker, 2)], certifier);

        var certifierGone = await Assert.ThrowsAsync<PostgresException>(() => c.ExecuteAsync("DELETE FROM organisation WHERE id = @certifier", new { certifier }));
        PostgresException skillGone;
        await using (var tx = await c.BeginTransactionAsync())
        {
            // A skill of its own, named only by this record (the taxonomy's skills are named by vacancies and courses too);
            // rolled back, so the shared taxonomy is left as it was.
            var skill = await c.ExecuteScalarAsync<int>(
                "INSERT INTO skill (code, name_en, name_bn, sector_code, isco08) VALUES ('ZZ-' || @agency, 'Test', 'পরীক্ষা', 'garments', '7531') RETURNING id", new { agency }, tx);
            await c.ExecuteAsync("INSERT INTO seeker_skill (seeker_id, skill_id, level, source) VALUES (@seeker, @skill, 1, 'self_declared')", new { seeker, skill }, tx);
            skillGone = await Assert.ThrowsAsync<PostgresException>(() => c.ExecuteAsync("DELETE FROM skill WHERE id = @skill", new { skill }, tx));
        }
        await c.ExecuteAsync("DELETE FROM seeker WHERE id = @seeker", new { seeker });

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, certifierGone.SqlState);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, skillGone.SqlState);
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT count(*)::int FROM seeker_skill WHERE seeker_id = @seeker", new { seeker }));
    }

    /// <summary>
    /// The race a foreign key closes: records added for a seeker while another transaction deletes that seeker. The
    /// reference check locks the seeker (or, when the adding transaction rewrote the seeker row itself, relies on that
    /// row's lock; migration 2250), so the delete waits for the adder's commit and then removes its records too.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeletingSeeker_LeavesNoSkillRecord_WhenAnotherTransactionAddsRecordsMeanwhile(bool adderRewritesSeekerRow)
    {
        var (agency, seeker) = await SeekerAsync();
        await using var adder = await database.DataSource.OpenConnectionAsync();
        await using var deleter = await database.DataSource.OpenConnectionAsync();
        await using var tx = await adder.BeginTransactionAsync();
        if (adderRewritesSeekerRow)
        {
            await adder.ExecuteAsync("UPDATE seeker SET skill_ids = '{1,2}' WHERE id = @seeker", new { seeker }, tx);
        }
        await adder.ExecuteAsync(
            "INSERT INTO seeker_skill (seeker_id, skill_id, level, source, certified_by, certified_on) VALUES (@seeker, 1, 2, 'certified', @agency, DATE '2025-01-01'), (@seeker, 2, 2, 'certified', @agency, DATE '2025-01-01')",
            new { seeker, agency }, tx);

        var delete = deleter.ExecuteAsync("DELETE FROM seeker WHERE id = @seeker", new { seeker });
        // The delete must be waiting for the adder: seen in pg_stat_activity, polled with a bound.
        await WaitUntilAsync(async () => await adder.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = @pid AND wait_event_type = 'Lock')", new { pid = deleter.ProcessID }, tx));
        Assert.False(delete.IsCompleted);
        await tx.CommitAsync();
        await delete;

        Assert.Equal(0, await adder.ExecuteScalarAsync<int>("SELECT count(*)::int FROM seeker_skill WHERE seeker_id = @seeker", new { seeker }));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The delete never waited for the adding transaction.");
            await Task.Delay(50);
        }
    }

    private static Task<int> InsertAsync(NpgsqlConnection c, (long Seeker, int Skill)[] rows, Guid certifier) =>
        c.ExecuteAsync(
            """
            INSERT INTO seeker_skill (seeker_id, skill_id, level, source, certified_by, certified_on)
            SELECT s, k, 2, 'certified', @certifier, DATE '2025-01-01' FROM unnest(@seekers, @skills) AS r(s, k)
            """, new { seekers = rows.Select(r => r.Seeker).ToArray(), skills = rows.Select(r => r.Skill).ToArray(), certifier });

    private async Task<(Guid Agency, long Seeker)> SeekerAsync()
    {
        var agency = Guid.CreateVersion7();
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync("INSERT INTO organisation (id, kind, name) VALUES (@agency, 'case_agency', 'Agency ' || @agency)", new { agency });
        var seeker = await c.ExecuteScalarAsync<long>(
            "INSERT INTO seeker (reference, agency_id) VALUES ('JS-' || upper(substr(md5(random()::text), 1, 6)), @agency) RETURNING id", new { agency });
        return (agency, seeker);
    }
}
