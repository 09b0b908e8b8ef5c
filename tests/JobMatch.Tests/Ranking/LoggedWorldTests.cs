using JobMatch.Ranking;
using Xunit.Abstractions;

namespace JobMatch.Tests.Ranking;

/// <summary>
/// Logged worlds: outcomes only for what a ranker showed, at recorded positions, the rest of the pool unlabelled.
/// Learning from them must rank whole pools, and must not be fooled by where the logging ranker put people.
/// </summary>
public sealed class LoggedWorldTests(ITestOutputHelper output)
{
    [Fact]
    public void Evaluate_ReachesMostOfTheFullInformationModel_OnALoggedWorld()
    {
        // As the issue describes it: 700 vacancies, 40 candidates each, the rule ranker shows the top 10,
        // position i examined with probability 1/i, a tenth of the lists in random order.
        var full = TestWorlds.Simulated(seekers: 4000, vacancies: 700, candidates: 40, seed: 5);
        var logged = WorldLogger.Log(full, new LoggingOptions { Shown = 10, RandomizedShare = 0.1, Seed = 5 });
        var hidden = HiddenLabels(full);

        var fromLogs = EvaluateCommand.Evaluate(logged, "logged", 0.2, 7, new RankingTrainerOptions { Seed = 7 }, TextWriter.Null);
        var oracle = EvaluateCommand.Evaluate(full, "full", 0.2, 7, new RankingTrainerOptions { Seed = 7 }, TextWriter.Null);

        var logsNdcg = MeanNdcg10(fromLogs.Orders, "model", hidden);
        var oracleNdcg = MeanNdcg10(oracle.Orders, "model", hidden);
        var ruleNdcg = MeanNdcg10(fromLogs.Orders, "rule", hidden);
        output.WriteLine($"NDCG@10 against hidden relevance: logs {logsNdcg:F4}, full information {oracleNdcg:F4}, rule {ruleNdcg:F4}; ratio {logsNdcg / oracleNdcg:F3}");
        Assert.Equal(oracle.TestVacancies, fromLogs.TestVacancies);
        Assert.True(logsNdcg >= 0.85 * oracleNdcg, $"model from logs {logsNdcg:F4} < 0.85 x full information {oracleNdcg:F4}");
    }

    [Fact]
    public void WeightedLearner_RanksByRelevance_WhenTheLogMisleadsANaiveLearner()
    {
        // Constructed so that a naive learner is misled: the logging ranker orders by a feature (slot 0) that has
        // nothing to do with relevance (slot 1 alone decides it), and the employer rarely looks past the top few. So
        // nearly every positive outcome in the log sits at the top, where slot 0 is highest: trained on the log as it
        // is, slot 0 looks like the best predictor there is. Weighting each positive by 1 / examination propensity,
        // estimated from the randomized lists, removes that pull.
        var random = new Random(11);
        var width = RankingFeatures.Names.Length;
        var pool = new List<(string Vacancy, string Seeker, float[] Features, int Relevance)>();
        for (var v = 0; v < 500; v++)
        {
            for (var c = 0; c < 30; c++)
            {
                var features = new float[width];
                features[0] = (float)random.NextDouble();
                features[1] = (float)random.NextDouble();
                var relevance = features[1] > 0.85 ? 2 : features[1] > 0.6 ? 1 : 0;
                pool.Add(($"v{v:D3}", $"s{c:D2}", features, relevance));
            }
        }

        var log = new List<RankingExample>();
        foreach (var vacancy in pool.GroupBy(p => p.Vacancy))
        {
            var shown = vacancy.OrderByDescending(p => p.Features[0]).Take(10).ToList();
            var randomized = random.NextDouble() < 0.2;
            if (randomized)
            {
                shown = shown.OrderBy(_ => random.Next()).ToList();
            }

            for (var i = 0; i < shown.Count; i++)
            {
                var examined = random.NextDouble() < 1.0 / (i + 1);
                log.Add(new RankingExample(vacancy.Key, shown[i].Seeker, shown[i].Features, examined ? shown[i].Relevance : 0, i + 1, randomized));
            }
        }

        var propensity = ExaminationPropensity.Estimate(log);
        Assert.NotNull(propensity);
        var options = new RankingTrainerOptions { Seed = 3, Iterations = 100 };
        var naive = new RankingTrainer(options).Train(log);
        var weighted = new RankingTrainer(options).Train(log, propensity.Weight);

        var naiveNdcg = PoolNdcg10(naive, pool);
        var weightedNdcg = PoolNdcg10(weighted, pool);
        output.WriteLine($"examination estimate: {string.Join(" ", propensity.ByPosition.Select(t => t.ToString("F2")))}");
        output.WriteLine($"NDCG@10 over whole pools: naive {naiveNdcg:F4}, weighted {weightedNdcg:F4}");
        Assert.InRange(propensity.At(1), 0.99, 1.0);
        Assert.True(propensity.At(5) < 0.5, $"position 5 should be examined far less often than position 1, estimated {propensity.At(5):F2}");
        Assert.True(weightedNdcg >= naiveNdcg + 0.04, $"weighted {weightedNdcg:F4} should beat naive {naiveNdcg:F4} by 0.04");
    }

    [Fact]
    public async Task Rankings_ListEveryCandidateOfEveryTestVacancyOncePerRanker()
    {
        using var dir = new TempWorld();
        var full = TestWorlds.Simulated(seekers: 600, vacancies: 60, candidates: 20, seed: 2);
        var logged = WorldLogger.Log(full, new LoggingOptions { Shown = 5, RandomizedShare = 0.3, Seed = 2 });
        WorldWriter.Write(logged, dir.Path);
        var rankingsFile = Path.Combine(dir.Path, "out", "rankings.csv");

        var stdout = new StringWriter();
        var code = await EvaluateCommand.RunAsync(["--world", dir.Path, "--rankings", rankingsFile], stdout, TextWriter.Null);

        Assert.Equal(0, code);
        var rankings = RankingsFile.Read(rankingsFile);
        var reread = WorldReader.Read(dir.Path);
        Assert.True(reread.IsLogged);
        Assert.Equal(full.Outcomes.Count, reread.Candidates!.Count);
        var pools = reread.Candidates.GroupBy(c => c.VacancyRef).ToDictionary(g => g.Key, g => g.Select(c => c.SeekerRef).OrderBy(s => s, StringComparer.Ordinal).ToList());
        var rankers = rankings.Keys.Select(k => k.Ranker).Distinct().OrderBy(r => r).ToList();
        Assert.Equal(["model", "model_unweighted", "random", "rule"], rankers);
        var testVacancies = rankings.Keys.Select(k => k.VacancyRef).Distinct().ToList();
        Assert.Equal(12, testVacancies.Count);
        foreach (var ranker in rankers)
        {
            foreach (var vacancy in testVacancies)
            {
                Assert.Equal(pools[vacancy], rankings[(ranker, vacancy)].OrderBy(s => s, StringComparer.Ordinal).ToList());
            }
        }
    }

    private static Dictionary<(string Vacancy, string Seeker), int> HiddenLabels(World full) =>
        full.Outcomes.ToDictionary(o => (o.VacancyRef, o.SeekerRef), o => Outcomes.Label(o.Outcome));

    private static double MeanNdcg10(IEnumerable<RankedList> orders, string ranker, Dictionary<(string, string), int> hidden)
    {
        var values = orders
            .Where(o => o.Ranker == ranker)
            .Select(o => o.SeekerRefs.Select(s => (s, 0f, hidden[(o.VacancyRef, s)])).ToList())
            .Where(list => list.Any(r => r.Item3 > 0))
            .Select(list => RankingEvaluator.Ndcg(list, 10))
            .ToList();
        Assert.NotEmpty(values);
        return values.Average();
    }

    private static double PoolNdcg10(IRanker ranker, List<(string Vacancy, string Seeker, float[] Features, int Relevance)> pool) =>
        pool.GroupBy(p => p.Vacancy)
            .Select(g =>
            {
                var items = g.ToList();
                var scores = ranker.Score(g.Key, items.Select(i => new RankingCandidate(i.Seeker, i.Features)).ToList());
                return RankingEvaluator.Ndcg(RankingEvaluator.Order(items.Select((i, k) => (i.Seeker, scores[k], i.Relevance))), 10);
            })
            .Average();
}
