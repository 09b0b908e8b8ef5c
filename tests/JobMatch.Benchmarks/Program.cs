using System.Diagnostics;
using JobMatch.Benchmarks;

// dotnet run -c Release --project tests/JobMatch.Benchmarks -- --json FILE [--quick] [--only B1,B2,...]
//                                                           --json FILE --scale [SEEKERS/VACANCIES]   (B8, not in CI)
string? jsonPath = null;
var quick = false;
BenchScale? national = null;
HashSet<string>? only = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--json" when i + 1 < args.Length: jsonPath = Path.GetFullPath(args[++i]); break;
        case "--quick": quick = true; break;
        case "--scale":
            national = BenchScale.National(1_000_000, 20_000);
            if (i + 1 < args.Length && args[i + 1].Split('/') is [var seekers, var vacancies]
                && int.TryParse(seekers, out var s) && int.TryParse(vacancies, out var v) && s > 0 && v > 0)
            {
                national = BenchScale.National(s, v);
                i++;
            }
            break;
        case "--only" when i + 1 < args.Length: only = args[++i].Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase); break;
        default:
            Console.Error.WriteLine($"Unexpected argument '{args[i]}'. Usage: --json FILE [--quick | --scale [SEEKERS/VACANCIES]] [--only B1,B2]");
            return 2;
    }
}
if (jsonPath is null)
{
    Console.Error.WriteLine("Usage: --json FILE [--quick] [--only B1,B2]");
    return 2;
}

var wall = Stopwatch.StartNew();
var report = new Report();
report.DescribeMachine(national is not null ? "national" : quick ? "quick" : "full");
var scale = national ?? (quick ? BenchScale.Quick : BenchScale.Full);
await using var run = await BenchRun.StartAsync(scale, report, Console.Out);
try
{
    if (national is not null) await run.RunNationalAsync();
    else await run.RunAsync(only);
    // For profiling by hand: keep the loaded cluster until the named file is deleted.
    if (Environment.GetEnvironmentVariable("JOBMATCH_BENCH_HOLD") is { Length: > 0 } hold)
    {
        await File.WriteAllTextAsync(hold, run.ConnectionString);
        Console.WriteLine($"Holding the cluster until {hold} is deleted.");
        while (File.Exists(hold)) await Task.Delay(1000);
    }
}
finally
{
    report.Machine["load_average_at_end"] = Report.LoadAverage();
    report.Machine["wall_s"] = Math.Round(wall.Elapsed.TotalSeconds, 1);
    report.Print(Console.Out);
    report.Write(jsonPath);
    Console.WriteLine($"\nJSON written to {jsonPath}; wall {wall.Elapsed.TotalSeconds:F0} s.");
}
// CI's smoke test: a complete run that lost a workload (or its peers) fails, whatever its figures.
if (only is null && national is null && report.Missing() is { Count: > 0 } missing)
{
    Console.Error.WriteLine("Missing from the report: " + string.Join(", ", missing));
    return 3;
}
return 0;
