using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobMatch.Benchmarks;

/// <summary>One workload's figures: its own metrics and, side by side, each peer's.</summary>
internal sealed class WorkloadResult
{
    [JsonPropertyName("title")] public string Title { get; init; } = "";
    [JsonPropertyName("metrics")] public SortedDictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);
    [JsonPropertyName("peers")] public SortedDictionary<string, SortedDictionary<string, double>> Peers { get; } = new(StringComparer.Ordinal);
    [JsonPropertyName("notes")] public List<string> Notes { get; } = [];

    public void Peer(string peer, string name, double value)
    {
        if (!Peers.TryGetValue(peer, out var metrics)) Peers[peer] = metrics = new(StringComparer.Ordinal);
        metrics[name] = Round(value);
    }

    public void Metric(string name, double value) => Metrics[name] = Round(value);

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 4) : -1;
}

/// <summary>The whole run: where it ran and every workload; printed as a table and written as JSON.</summary>
internal sealed class Report
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    [JsonPropertyName("machine")] public SortedDictionary<string, object> Machine { get; } = new(StringComparer.Ordinal);
    [JsonPropertyName("workloads")] public SortedDictionary<string, WorkloadResult> Workloads { get; } = new(StringComparer.Ordinal);

    public WorkloadResult Add(string id, string title)
    {
        var result = new WorkloadResult { Title = title };
        Workloads[id] = result;
        return result;
    }

    public void DescribeMachine(string mode)
    {
        Machine["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Machine["cores"] = Environment.ProcessorCount;
        Machine["cpu_model"] = CpuModel();
        Machine["memory_gib"] = Math.Round(MemoryKib() / 1024.0 / 1024.0, 1);
        Machine["dotnet"] = RuntimeInformation.FrameworkDescription;
        Machine["os"] = RuntimeInformation.OSDescription;
        Machine["mode"] = mode;
        Machine["load_average_at_start"] = LoadAverage();
    }

    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }

    /// <summary>The workloads a complete run must report, and whether each has peers beside it (B0 has none).</summary>
    public static readonly (string Id, bool HasPeers)[] Expected =
        [("B0", false), ("B1", true), ("B2", true), ("B3", true), ("B4", true), ("B5", true), ("B6", true), ("B7", true), ("B9", true)];

    /// <summary>What a complete run lacks: a workload without metrics, or without the peers it should have.</summary>
    public List<string> Missing() =>
        Expected.Where(e => !Workloads.TryGetValue(e.Id, out var w) || w.Metrics.Count == 0 || (e.HasPeers && w.Peers.Count == 0))
            .Select(e => e.Id).ToList();

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Machine: " + string.Join(", ", Machine.Select(m => $"{m.Key}={m.Value}")));
        foreach (var (id, w) in Workloads)
        {
            output.WriteLine();
            output.WriteLine($"== {id}: {w.Title}");
            var columns = w.Metrics.Keys.Concat(w.Peers.Values.SelectMany(p => p.Keys)).Distinct().ToList();
            var rows = new List<(string Name, IDictionary<string, double> Values)> { ("JobMatch", w.Metrics) };
            rows.AddRange(w.Peers.Select(p => (p.Key, (IDictionary<string, double>)p.Value)));
            var nameWidth = Math.Max(10, rows.Max(r => r.Name.Length));
            foreach (var column in columns)
            {
                var cells = rows.Select(r => r.Values.TryGetValue(column, out var v) ? Format(v) : "-");
                output.WriteLine($"  {column,-34} " + string.Join("  ", cells.Select(c => $"{c,14}")));
            }
            output.WriteLine($"  {"(columns)",-34} " + string.Join("  ", rows.Select(r => $"{Shorten(r.Name, 14),14}")));
            foreach (var note in w.Notes) output.WriteLine("  note: " + note);
            _ = nameWidth;
        }
    }

    private static string Shorten(string text, int width) => text.Length <= width ? text : text[..width];

    private static string Format(double v) => Math.Abs(v) >= 1000 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException) { return "unknown"; }
    }

    private static long MemoryKib()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }
}

internal static class Stats
{
    /// <summary>Nearest-rank percentile (p in 0..100) of the values.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static void Latency(WorkloadResult w, string? peer, string prefix, IReadOnlyCollection<double> ms)
    {
        void Set(string name, double v) { if (peer is null) w.Metric(name, v); else w.Peer(peer, name, v); }
        Set(prefix + "p50_ms", Percentile(ms, 50));
        Set(prefix + "p95_ms", Percentile(ms, 95));
        Set(prefix + "p99_ms", Percentile(ms, 99));
    }
}
