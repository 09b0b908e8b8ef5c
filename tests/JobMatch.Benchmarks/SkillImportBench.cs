using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using JobMatch.Audit;
using JobMatch.Seekers;
using JobMatch.Training;
using Npgsql;

namespace JobMatch.Benchmarks;

/// <summary>
/// B1: a training provider's skills CSV through the product's upload path (parse and validate in memory, binary COPY
/// into the staging table, preview, then one set-based merge and the <c>skill_ids</c> refresh), against a plain batched
/// multi-row INSERT and a per-row INSERT (autocommit, on a slice, extrapolated). Every path ends in the same state;
/// the trainees' records are deleted between runs (not timed).
/// </summary>
internal sealed class SkillImportBench(BenchRun run)
{
    private sealed record Row(string Reference, string Code, int Level, string Source, DateOnly? On, int Months);

    public async Task RunAsync()
    {
        var rows = Rows(run.Scale.ImportRows);
        var csv = Csv(rows);
        var w = run.Report.Add("B1", $"Skill-record import, {rows.Count:N0} rows ({Encoding.UTF8.GetByteCount(csv) / 1024.0 / 1024.0:F1} MB CSV)");

        await ProductAsync(Csv(rows.Take(1000).ToList()), null); // warm-up: JIT, plans
        await ResetAsync();
        await ProductAsync(csv, w);
        await ResetAsync();

        await BatchedAsync(rows.Take(1000).ToList(), null);
        await ResetAsync();
        await BatchedAsync(rows, w);
        await ResetAsync();

        await PerRowAsync(rows.Take(run.Scale.PerRowInsertRows).ToList(), w);
        await ResetAsync();
        w.Notes.Add($"per-row INSERT ran on {run.Scale.PerRowInsertRows:N0} rows (one autocommit each, fsync on) and is extrapolated to {rows.Count:N0}.");
        w.Notes.Add("The peers get no validation beyond the id look-ups (no error report, no preview, no audit); the product path does all of that.");
        w.Notes.Add("JobMatch streams each row into the staging COPY as soon as it is parsed: parse_validate_s holds most of the COPY, copy_to_staging_s (and copy_share) only what is left of it after the last row. merge_*_s are the commit's stages (re-check of enrolments, skill_ids, upsert with the reference check, staging clean-up, audit and COMMIT).");
    }

    private async Task ProductAsync(string csv, WorkloadResult? w)
    {
        var audit = new AuditLog(run.DataSource, new HttpContextAccessor());
        var store = new UploadStore(run.DataSource, audit);
        // No Hangfire here: the re-match the upload would enqueue is measured separately (B4).
        var commit = new UploadCommit(run.DataSource, audit, new JobMatch.BackgroundJobs.MatchingJobs(new NullJobClient()));
        var clock = Stopwatch.StartNew();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var preview = await store.UploadAsync(stream, UploadFormat.Skills, run.Loaded.ProviderId, run.Loaded.RecorderId, CancellationToken.None);
        var previewed = clock.Elapsed;
        var outcome = await commit.CommitAsync(preview.Id, run.Loaded.ProviderId, run.Loaded.RecorderId, CancellationToken.None);
        clock.Stop();
        if (preview.ErrorCount > 0 || outcome is not { Committed: true })
        {
            throw new InvalidOperationException($"The upload did not commit: {preview.ErrorCount} bad rows, first {preview.Errors.FirstOrDefault()}.");
        }
        if (w is null) return;
        var timing = store.LastTiming!;
        w.Metric("rows", preview.RowCount);
        w.Metric("wall_s", clock.Elapsed.TotalSeconds);
        w.Metric("rows_per_s", preview.RowCount / clock.Elapsed.TotalSeconds);
        w.Metric("lookups_s", timing.Lookups.TotalSeconds);
        w.Metric("parse_validate_s", timing.Parse.TotalSeconds);
        w.Metric("copy_to_staging_s", timing.Copy.TotalSeconds);
        w.Metric("merge_s", outcome.Merge.TotalSeconds);
        w.Metric("preview_overhead_s", (previewed - timing.Lookups - timing.Parse - timing.Copy).TotalSeconds);
        var stages = outcome.Stages!;
        w.Metric("merge_recheck_s", stages.Recheck.TotalSeconds);
        w.Metric("merge_skill_ids_s", stages.SkillIds.TotalSeconds);
        w.Metric("merge_upsert_s", stages.Upsert.TotalSeconds);
        w.Metric("merge_cleanup_s", stages.Cleanup.TotalSeconds);
        w.Metric("merge_commit_s", stages.Commit.TotalSeconds);
        w.Metric("copy_share", timing.Copy.TotalSeconds / clock.Elapsed.TotalSeconds);
    }

    private async Task BatchedAsync(List<Row> rows, WorkloadResult? w)
    {
        var clock = Stopwatch.StartNew();
        var (skills, trainees) = await LookupsAsync();
        await using var c = await run.DataSource.OpenConnectionAsync();
        await using var tx = await c.BeginTransactionAsync();
        foreach (var chunk in rows.Chunk(1000))
        {
            var sql = new StringBuilder("INSERT INTO seeker_skill (seeker_id, skill_id, level, source, certified_by, certified_on, months_experience) VALUES ");
            await using var command = new NpgsqlCommand { Connection = c, Transaction = tx };
            for (var i = 0; i < chunk.Length; i++)
            {
                var r = chunk[i];
                sql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@s{i},@k{i},@l{i},@o{i},@p,@d{i},@m{i})");
                command.Parameters.AddWithValue($"s{i}", trainees[r.Reference]);
                command.Parameters.AddWithValue($"k{i}", skills[r.Code]);
                command.Parameters.AddWithValue($"l{i}", r.Level);
                command.Parameters.AddWithValue($"o{i}", r.Source);
                command.Parameters.AddWithValue($"d{i}", r.On is { } on ? on : DBNull.Value);
                command.Parameters.AddWithValue($"m{i}", r.Months);
            }
            command.Parameters.AddWithValue("p", run.Loaded.ProviderId);
            command.CommandText = sql.Append(" ON CONFLICT (seeker_id, skill_id) DO UPDATE SET level = EXCLUDED.level, source = EXCLUDED.source, updated_at = now()").ToString();
            await command.ExecuteNonQueryAsync();
        }
        await SeekerSkills.SyncSkillIdsAsync(c, tx, rows.Select(r => trainees[r.Reference]).Distinct().ToArray(), CancellationToken.None);
        await tx.CommitAsync();
        clock.Stop();
        if (w is null) return;
        w.Peer("batched INSERT x1000", "rows", rows.Count);
        w.Peer("batched INSERT x1000", "wall_s", clock.Elapsed.TotalSeconds);
        w.Peer("batched INSERT x1000", "rows_per_s", rows.Count / clock.Elapsed.TotalSeconds);
    }

    private async Task PerRowAsync(List<Row> rows, WorkloadResult w)
    {
        var clock = Stopwatch.StartNew();
        var (skills, trainees) = await LookupsAsync();
        await using var c = await run.DataSource.OpenConnectionAsync();
        foreach (var r in rows)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO seeker_skill (seeker_id, skill_id, level, source, certified_by, certified_on, months_experience)
                VALUES (@seeker, @skill, @Level, @Source, @provider, @On, @Months)
                ON CONFLICT (seeker_id, skill_id) DO UPDATE SET level = EXCLUDED.level, source = EXCLUDED.source, updated_at = now()
                """, new { seeker = trainees[r.Reference], skill = skills[r.Code], r.Level, r.Source, provider = run.Loaded.ProviderId, On = r.On?.ToDateTime(TimeOnly.MinValue), r.Months });
        }
        await using (var tx = await c.BeginTransactionAsync())
        {
            await SeekerSkills.SyncSkillIdsAsync(c, tx, rows.Select(r => trainees[r.Reference]).Distinct().ToArray(), CancellationToken.None);
            await tx.CommitAsync();
        }
        clock.Stop();
        w.Peer("per-row INSERT", "rows", run.Scale.ImportRows);
        w.Peer("per-row INSERT", "rows_per_s", rows.Count / clock.Elapsed.TotalSeconds);
        w.Peer("per-row INSERT", "wall_s", clock.Elapsed.TotalSeconds * run.Scale.ImportRows / rows.Count);
    }

    private async Task<(Dictionary<string, int> Skills, Dictionary<string, long> Trainees)> LookupsAsync()
    {
        await using var c = await run.DataSource.OpenConnectionAsync();
        var skills = (await c.QueryAsync<(string Code, int Id)>("SELECT code, id FROM skill")).ToDictionary(s => s.Code, s => s.Id, StringComparer.Ordinal);
        var trainees = (await c.QueryAsync<(string Reference, long Id)>(
            "SELECT t.number, t.seeker_id FROM enrolment e JOIN trainee_number t ON t.seeker_id = e.seeker_id AND t.provider_id = e.provider_id WHERE e.provider_id = @p AND e.ended_at IS NULL",
            new { p = run.Loaded.ProviderId })).ToDictionary(s => s.Reference, s => s.Id, StringComparer.Ordinal);
        return (skills, trainees);
    }

    private async Task ResetAsync()
    {
        await using var c = await run.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync(
            """
            DELETE FROM seeker_skill WHERE seeker_id = ANY(@ids);
            UPDATE seeker SET skill_ids = '{}' WHERE id = ANY(@ids) AND skill_ids <> '{}';
            DELETE FROM upload_row;
            """, new { ids = run.Loaded.TraineeIds }, commandTimeout: 600);
        await c.ExecuteAsync("VACUUM (ANALYZE) seeker_skill", commandTimeout: 600);
    }

    /// <summary>Exactly <paramref name="count"/> rows, 2-3 distinct skills per trainee, a fifth of them certified (with a date).</summary>
    private List<Row> Rows(int count)
    {
        var random = new Random(BenchWorld.Seed + 1);
        var codes = run.World.Taxonomy.Skills.Select(s => s.Code).ToArray();
        var rows = new List<Row>(count);
        for (var t = 0; rows.Count < count; t++)
        {
            var reference = run.Loaded.TraineeRefs[t % run.Loaded.TraineeRefs.Length];
            var per = Math.Min(count - rows.Count, t % 2 == 0 ? 2 : 3);
            foreach (var code in codes.OrderBy(_ => random.Next()).Take(per))
            {
                var certified = random.NextDouble() < 0.2;
                rows.Add(new Row(reference, code, random.Next(1, 5), certified ? "certified" : "assessed",
                    certified ? new DateOnly(2025, 1, 1).AddDays(random.Next(300)) : null, random.Next(0, 60)));
            }
        }
        return rows;
    }

    private static string Csv(List<Row> rows)
    {
        var sb = new StringBuilder("trainee_number,skill_code,level,source,certified_on,months_experience\r\n");
        foreach (var r in rows)
        {
            sb.Append(r.Reference).Append(',').Append(r.Code).Append(',').Append(r.Level.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Source).Append(',')
              .Append(r.On?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',').Append(r.Months.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }
        return sb.ToString();
    }
}

/// <summary>Swallows the re-match jobs an upload enqueues: B1 measures the import alone.</summary>
internal sealed class NullJobClient : Hangfire.IBackgroundJobClient
{
    public string Create(Hangfire.Common.Job job, Hangfire.States.IState state) => "benchmark";
    public bool ChangeState(string jobId, Hangfire.States.IState state, string expectedState) => true;
}
