using System.Diagnostics;
using Dapper;

namespace JobMatch.Benchmarks;

/// <summary>
/// B8, national scale (<c>--scale</c>): what the database and the process hold once the world is loaded and the nightly
/// pass has run, beside B0's build time, B2's latency and B4's wall time from the same run.
/// Memory is this process's resident set (Linux VmRSS/VmHWM): it holds the product's serving and nightly code, as the
/// app would, and also the simulated world (which the app would not), so the nightly pass's own peak is reported as the
/// rise of the peak over the resident set just before it (the kernel's peak is reset there through clear_refs).
/// </summary>
internal sealed class ScaleBench(BenchRun run)
{
    private long _afterGenerate;
    private long _beforeNightly;
    private long _nightlyPeak;
    private long _managedPeak;
    private Timer? _sampler;

    public void AfterGenerate() => _afterGenerate = Resident("VmRSS:");

    public void BeforeNightly()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _beforeNightly = Resident("VmRSS:");
        _managedPeak = GC.GetTotalMemory(false);
        _sampler = new Timer(_ => _managedPeak = Math.Max(_managedPeak, GC.GetGCMemoryInfo().HeapSizeBytes), null, 0, 100);
    }

    public void AfterNightly()
    {
        _sampler?.Dispose();
        _nightlyPeak = Resident("VmHWM:");
    }

    public async Task ReportAsync()
    {
        var w = run.Report.Add("B8", $"National scale: {run.Scale.Seekers:N0} seekers, {run.Scale.Vacancies:N0} vacancies");
        w.Metric("seekers", run.Scale.Seekers);
        w.Metric("vacancies", run.Scale.Vacancies);
        if (run.Report.Workloads.TryGetValue("B0", out var b0))
        {
            w.Metric("build_s", b0.Metrics.GetValueOrDefault("build_s"));
            w.Metric("generate_s", b0.Metrics.GetValueOrDefault("generate_s"));
            w.Metric("copy_s", b0.Metrics.GetValueOrDefault("copy_s"));
        }
        if (run.Report.Workloads.TryGetValue("B2", out var b2))
        {
            w.Metric("b2_p50_ms", b2.Metrics.GetValueOrDefault("p50_ms"));
            w.Metric("b2_p95_ms", b2.Metrics.GetValueOrDefault("p95_ms"));
            w.Metric("b2_candidates_p50_ms", b2.Metrics.GetValueOrDefault("stage_candidates_p50_ms"));
            w.Metric("b2_pool_mean", b2.Metrics.GetValueOrDefault("candidate_pool_mean"));
        }
        if (run.Report.Workloads.TryGetValue("B4", out var b4))
        {
            w.Metric("nightly_s", b4.Metrics.GetValueOrDefault("wall_s"));
            w.Metric("nightly_pools_and_scores_s", b4.Metrics.GetValueOrDefault("stage_pools_and_scores_s"));
            w.Metric("nightly_write_s", b4.Metrics.GetValueOrDefault("stage_write_s"));
            w.Metric("nightly_pairs_scored", b4.Metrics.GetValueOrDefault("pairs_scored"));
        }
        await using var c = await run.DataSource.OpenConnectionAsync();
        w.Metric("database_mb", await c.ExecuteScalarAsync<long>("SELECT pg_database_size(current_database())") / 1048576.0);
        foreach (var table in new[] { "seeker", "seeker_skill", "consent", "vacancy", "vacancy_skill", "match", "match_event" })
        {
            var (total, heap) = await c.QuerySingleAsync<(long, long)>(
                "SELECT pg_total_relation_size(@table::regclass), pg_relation_size(@table::regclass)", new { table });
            w.Metric($"table_{table}_mb", total / 1048576.0);
            w.Metric($"table_{table}_indexes_mb", (total - heap) / 1048576.0);
        }
        w.Metric("process_rss_after_world_mb", _afterGenerate / 1024.0);
        w.Metric("process_rss_before_nightly_mb", _beforeNightly / 1024.0);
        w.Metric("process_peak_during_nightly_mb", _nightlyPeak / 1024.0);
        w.Metric("nightly_memory_rise_mb", (_nightlyPeak - _beforeNightly) / 1024.0);
        w.Metric("nightly_managed_heap_peak_mb", _managedPeak / 1048576.0);
        w.Metric("process_peak_mb", Resident("VmHWM:") / 1024.0);
        w.Notes.Add("build_s = generation + binary COPY + VACUUM ANALYZE (B0). database_mb = pg_database_size after B4 (proposals written).");
        w.Notes.Add("Memory: this process's resident set (it also holds the simulated world, which the app would not); nightly_memory_rise_mb = the peak during the nightly pass over the resident set just before it, the pass's own share.");
    }

    /// <summary>A field of /proc/self/status in KiB (0 where it cannot be read).</summary>
    private static long Resident(string field)
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }
}
