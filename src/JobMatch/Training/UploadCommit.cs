using JobMatch.Database;
using System.Diagnostics;
using Dapper;
using JobMatch.Audit;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Training;

/// <summary>
/// Reads a staged upload back (preview) and commits it: one transaction, one set-based merge into
/// <c>seeker_skill</c> (and <c>course_completion</c>), then <c>seeker.skill_ids</c> for the seekers touched.
/// A file with any bad row commits nothing. Trainees whose enrolment ended since the preview also stop the commit.
/// </summary>
internal sealed class UploadCommit(NpgsqlDataSource db, AuditLog audit, MatchingContract.IMatchingTriggers matching)
{
    /// <summary>
    /// Where a commit's time went (the benchmark's B1 reports these): the enrolment re-check, <c>seeker.skill_ids</c>,
    /// the upsert into <c>seeker_skill</c> (with its reference check; for completions also <c>course_completion</c>),
    /// emptying the staging rows, and the audit and COMMIT, whichever order the kind of file runs them in.
    /// </summary>
    public sealed record Stages(TimeSpan Recheck, TimeSpan SkillIds, TimeSpan Upsert, TimeSpan Cleanup, TimeSpan Commit);
    public sealed record Outcome(bool Committed, int Rows, IReadOnlyList<UploadStore.RowError> Errors, TimeSpan Merge, Stages? Stages = null);

    public async Task<UploadStore.Preview?> PreviewAsync(Guid id, Guid providerId, CancellationToken ct)
    {
        await using var read = await ProviderReads.BeginAsync(db, ct); // R4: as jm_provider_api
        var connection = read.Connection;
        var upload = await connection.QuerySingleOrDefaultAsync<(string Kind, string Status, int RowCount, int ErrorCount)>(new CommandDefinition(
            "SELECT kind, status, row_count, error_count FROM upload WHERE id = @id AND provider_id = @providerId",
            new { id, providerId }, cancellationToken: ct));
        if (upload.Kind is null) return null;
        var errors = await connection.QueryAsync<(int Line, string Error)>(new CommandDefinition(
            "SELECT line, error FROM upload_row WHERE upload_id = @id AND error IS NOT NULL ORDER BY line", new { id }, cancellationToken: ct));
        return new UploadStore.Preview(id, upload.Kind, upload.Status, upload.RowCount, upload.ErrorCount,
            errors.SelectMany(e => UploadProblems.Parse(e.Line, e.Error)).ToList());
    }

    /// <summary>Null when the upload is not this provider's (404).</summary>
    public async Task<Outcome?> CommitAsync(Guid id, Guid providerId, Guid userId, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var upload = await connection.QuerySingleOrDefaultAsync<(string Kind, string Status, int RowCount)>(new CommandDefinition(
            "SELECT kind, status, row_count FROM upload WHERE id = @id AND provider_id = @providerId FOR UPDATE",
            new { id, providerId }, tx, cancellationToken: ct));
        if (upload.Kind is null) return null;
        if (upload.Status == "committed") return new Outcome(true, upload.RowCount, [], TimeSpan.Zero);

        // Re-check at commit time: enrolments may have ended since the preview. Compared in memory: the staging
        // table has no statistics, and a correlated NOT EXISTS over 100,000 rows planned as a nested loop is minutes.
        var staged = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT DISTINCT seeker_id FROM upload_row WHERE upload_id = @id AND error IS NULL", new { id }, tx, cancellationToken: ct));
        var enrolled = (await connection.QueryAsync<long>(new CommandDefinition(
            """
            SELECT e.seeker_id FROM enrolment e JOIN seeker s ON s.id = e.seeker_id
            WHERE e.provider_id = @providerId AND e.ended_at IS NULL AND s.status <> 'erased'
            """, new { providerId }, tx, cancellationToken: ct))).ToHashSet();
        var gone = staged.Where(s => !enrolled.Contains(s)).ToArray();
        if (gone.Length > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE upload_row SET error = @error WHERE upload_id = @id AND seeker_id = ANY(@gone) AND error IS NULL",
                new { id, gone, error = UploadProblems.Format([new("not_enrolled", "reference", null)]) }, tx, cancellationToken: ct));
        }
        var errors = (await connection.QueryAsync<(int Line, string Error)>(new CommandDefinition(
            "SELECT line, error FROM upload_row WHERE upload_id = @id AND error IS NOT NULL ORDER BY line", new { id }, tx, cancellationToken: ct)))
            .ToList();
        if (errors.Count > 0)
        {
            await tx.RollbackAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE upload SET status = 'rejected', error_count = @count WHERE id = @id AND status = 'previewed'",
                new { id, count = errors.Count }, cancellationToken: ct));
            return new Outcome(false, upload.RowCount, errors.SelectMany(e => UploadProblems.Parse(e.Line, e.Error)).ToList(), clock.Elapsed);
        }

        // No row has an error here, so the staged seekers are every seeker of the file.
        var seekerIds = staged.ToArray();
        var recheck = clock.Elapsed;
        TimeSpan skillIds, upsert;
        if (upload.Kind == UploadFormat.Completions)
        {
            await MergeCompletionsAsync(connection, tx, id, providerId, userId, ct);
            var completed = clock.Elapsed;
            upsert = completed - recheck;
            await SeekerSkills.SyncSkillIdsAsync(connection, tx, seekerIds, ct);
            skillIds = clock.Elapsed - completed;
        }
        else
        {
            // skill_ids first: it needs only the staged rows, and the seeker rows it rewrites are then this transaction's
            // own, which the reference check on seeker_skill need not lock again (migration 2250).
            await SeekerSkills.AddUploadedSkillIdsAsync(connection, tx, id, ct);
            var refreshed = clock.Elapsed;
            skillIds = refreshed - recheck;
            await MergeSkillsAsync(connection, tx, id, providerId, ct);
            upsert = clock.Elapsed - refreshed;
        }
        var merged = clock.Elapsed;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE upload SET status = 'committed', committed_at = now() WHERE id = @id; DELETE FROM upload_row WHERE upload_id = @id",
            new { id }, tx, cancellationToken: ct, commandTimeout: 120));
        var cleaned = clock.Elapsed;
        await audit.WriteAsync("training_upload_committed", $"upload:{id}", ct, userId, connection, tx);
        await tx.CommitAsync(ct);
        matching.SeekersChanged(seekerIds);
        var stages = new Stages(recheck, skillIds, upsert, cleaned - merged, clock.Elapsed - cleaned);
        return new Outcome(true, upload.RowCount, [], clock.Elapsed, stages);
    }

    /// <summary>
    /// Provider records replace earlier ones, except a higher-level certificate from another organisation, which
    /// a lower assessment must not silently downgrade.
    /// </summary>
    internal const string KeepOtherCertificates = """
        WHERE NOT (seeker_skill.source = 'certified' AND seeker_skill.certified_by IS DISTINCT FROM EXCLUDED.certified_by
                   AND seeker_skill.level > EXCLUDED.level)
        """;

    private static Task MergeSkillsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, Guid providerId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO seeker_skill (seeker_id, skill_id, level, source, certified_by, certified_on, months_experience)
            SELECT seeker_id, skill_id, level, source, @providerId, on_date, COALESCE(months, 0)
            FROM upload_row WHERE upload_id = @id
            ON CONFLICT (seeker_id, skill_id) DO UPDATE SET level = EXCLUDED.level, source = EXCLUDED.source,
                certified_by = EXCLUDED.certified_by, certified_on = EXCLUDED.certified_on,
                months_experience = GREATEST(seeker_skill.months_experience, EXCLUDED.months_experience), updated_at = now()
            {KeepOtherCertificates}
            """, new { id, providerId }, tx, cancellationToken: ct, commandTimeout: 300));

    private static async Task MergeCompletionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, Guid providerId, Guid userId, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO course_completion (course_id, seeker_id, completed_on, certified, recorded_by)
            SELECT course_id, seeker_id, on_date, certified, @userId FROM upload_row WHERE upload_id = @id
            ON CONFLICT (course_id, seeker_id) DO UPDATE SET completed_on = EXCLUDED.completed_on,
                certified = EXCLUDED.certified, recorded_by = EXCLUDED.recorded_by, recorded_at = now()
            """, new { id, userId }, tx, cancellationToken: ct, commandTimeout: 300));
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO seeker_skill (seeker_id, skill_id, level, source, certified_by, certified_on, months_experience)
            SELECT DISTINCT ON (r.seeker_id, cs.skill_id) r.seeker_id, cs.skill_id, cs.level,
                   CASE WHEN r.certified THEN 'certified' ELSE 'assessed' END, @providerId, r.on_date, 0
            FROM upload_row r JOIN course_skill cs ON cs.course_id = r.course_id
            WHERE r.upload_id = @id
            ORDER BY r.seeker_id, cs.skill_id, cs.level DESC
            ON CONFLICT (seeker_id, skill_id) DO UPDATE SET level = EXCLUDED.level, source = EXCLUDED.source,
                certified_by = EXCLUDED.certified_by, certified_on = EXCLUDED.certified_on, updated_at = now()
            {KeepOtherCertificates}
            """, new { id, providerId }, tx, cancellationToken: ct, commandTimeout: 300));
    }
}
