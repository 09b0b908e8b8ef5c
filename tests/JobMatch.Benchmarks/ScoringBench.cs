using System.Diagnostics;
using JobMatch.Ranking;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace JobMatch.Benchmarks;

/// <summary>
/// B3: nanoseconds per candidate to score the same feature vectors three ways: an ML.NET PredictionEngine row by row,
/// one batch Transform over an in-memory IDataView, and <see cref="ModelRanker.Score"/> (what serving calls: a batch
/// Transform per vacancy). Also the feature function and the rule ranker, for scale.
/// </summary>
internal sealed class ScoringBench(BenchRun run)
{
    public sealed class ScoreOutput
    {
        public float Score { get; set; }
    }

    public Task RunAsync()
    {
        var w = run.Report.Add("B3", "Scoring: ns per candidate (batches of 1,000 and 50 candidates)");
        var world = run.World;
        var vacancy = world.Vacancies[0].Profile;
        var pairs = world.Seekers.Take(1000).Select(s => s.Profile).ToList();
        var features = pairs.Select(p => RankingFeatures.Compute(p, vacancy, world.Context)).ToArray();
        var candidates = features.Select((f, i) => new RankingCandidate(WorldLoader.Reference(i + 1), f)).ToList();

        var ml = new MLContext(0);
        using var stream = new MemoryStream(run.Model.ToBytes());
        var transformer = ml.Model.Load(stream, out _);
        var engine = ml.Model.CreatePredictionEngine<ModelRanker.ScoringRow, ScoreOutput>(transformer, inputSchemaDefinition: ModelRanker.ScoringSchema());
        var rows = features.Select(f => new ModelRanker.ScoringRow { Features = f }).ToList();

        w.Metric("serving_ModelRanker_batch1000_ns", Measure(1000, () => run.Model.Score("v", candidates)));
        w.Metric("serving_ModelRanker_batch50_ns", Measure(50, () => run.Model.Score("v", candidates.Take(50).ToList())));
        w.Peer("PredictionEngine per row", "ns_per_candidate", Measure(1000, () => { foreach (var r in rows) engine.Predict(r); }));
        w.Peer("batch Transform", "batch1000_ns", Measure(1000, () =>
            transformer.Transform(ml.Data.LoadFromEnumerable(rows, ModelRanker.ScoringSchema())).GetColumn<float>("Score").ToArray()));
        w.Peer("batch Transform", "batch50_ns", Measure(50, () =>
            transformer.Transform(ml.Data.LoadFromEnumerable(rows.Take(50), ModelRanker.ScoringSchema())).GetColumn<float>("Score").ToArray()));
        w.Peer("rule ranker", "ns_per_candidate", Measure(1000, () => new RuleRanker().Score("v", candidates)));
        w.Peer("feature function", "ns_per_candidate", Measure(1000, () => { foreach (var p in pairs) RankingFeatures.Compute(p, vacancy, world.Context); }));
        w.Notes.Add($"Model: LightGBM, 200 trees of 7 leaves, 20 features. ns per candidate = median of {run.Scale.ScoringRepetitions} timed repetitions (each ≥ {run.Scale.ScoringMinSeconds} s) / candidates per call.");
        w.Notes.Add("ModelRanker.Score is a batch Transform behind IRanker, so the two should agree; PredictionEngine is shown as the per-row alternative.");
        return Task.CompletedTask;
    }

    private double Measure(int perCall, Action action)
    {
        for (var i = 0; i < 10; i++) action();
        var calls = 1;
        var clock = Stopwatch.StartNew();
        action();
        while (clock.Elapsed.TotalSeconds < run.Scale.ScoringMinSeconds) { action(); calls++; }
        calls = Math.Max(1, calls);
        var samples = new List<double>();
        for (var rep = 0; rep < run.Scale.ScoringRepetitions; rep++)
        {
            clock.Restart();
            for (var i = 0; i < calls; i++) action();
            samples.Add(clock.Elapsed.TotalMilliseconds * 1e6 / calls / perCall);
        }
        return Stats.Percentile(samples, 50);
    }
}
