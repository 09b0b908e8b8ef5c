using FsCheck;
using FsCheck.Fluent;
using JobMatch.Ranking;

namespace JobMatch.Tests.Ranking;

public sealed class ExplorationTests
{
    [Fact]
    public void Fill_ShowsOnlyRankedCandidates_OnceEach_WithExploratorySlotsFromBelowTheList()
    {
        var property = Prop.ForAll(
            Gen.Choose(0, 60).ToArbitrary(),
            Gen.Choose(0, 10).ToArbitrary(),
            Gen.Choose(0, 1000).ToArbitrary(),
            (poolSize, sharePercentTenths, seed) =>
            {
                var ranked = Enumerable.Range(1, poolSize).Select(i => $"s{i:D3}").ToList();
                var share = sharePercentTenths / 10.0;
                var shown = ExplorationPolicy.Fill(ranked, 10, share, new Random(seed));

                var expectedSlots = Math.Min(10, poolSize);
                var top = ranked.Take(expectedSlots).ToHashSet();
                var below = ranked.Skip(expectedSlots).Take(ExplorationPolicy.ExplorationDepth).ToHashSet();
                return shown.Count == expectedSlots
                       && shown.Select(s => s.SeekerRef).Distinct().Count() == shown.Count
                       && shown.All(s => ranked.Contains(s.SeekerRef))
                       && shown.Select(s => s.Position).SequenceEqual(Enumerable.Range(1, expectedSlots))
                       && shown.Where(s => s.Exploratory).All(s => below.Contains(s.SeekerRef) && s.Propensity is > 0 and <= 1)
                       && shown.Where(s => !s.Exploratory).All(s => top.Contains(s.SeekerRef) && s.Propensity == 1.0)
                       && (share > 0 || shown.All(s => !s.Exploratory))
                       // The ranker's own picks keep their order.
                       && shown.Where(s => !s.Exploratory).Select(s => s.SeekerRef).SequenceEqual(ranked.Take(shown.Count(s => !s.Exploratory)));
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    [Fact]
    public void Fill_GivesOneSlotInTen_WhenShareIsATenth()
    {
        var ranked = Enumerable.Range(1, 40).Select(i => $"s{i:D2}").ToList();

        var shown = ExplorationPolicy.Fill(ranked, 10, 0.1, new Random(4));

        var explored = Assert.Single(shown, s => s.Exploratory);
        Assert.Equal(1.0 / 20, explored.Propensity);
    }

    [Fact]
    public void ClosedLoop_ServesTheRuleFirstThenARetrainedModel_AndReportsEveryRound()
    {
        var world = TestWorlds.Simulated(seekers: 800, vacancies: 150, candidates: 30, seed: 9);

        var rounds = ClosedLoopSimulation.Run(world, new ClosedLoopOptions { Rounds = 3, ExplorationShare = 0.1, Seed = 9 }, TextWriter.Null);

        Assert.Equal([1, 2, 3], rounds.Select(r => r.Round));
        Assert.Equal(["rule", "model", "model"], rounds.Select(r => r.Serving));
        Assert.All(rounds, r => Assert.InRange(r.ServingNdcg10, 0.3, 1));
        Assert.All(rounds, r => Assert.InRange(r.ShownNdcg10, 0.1, 1));
    }

    /// <summary>`simulate --rounds 2 --seekers 60 --vacancies 10 --candidates 5` once died inside ML.NET: 40 logged rows are too few for a tree.</summary>
    [Fact]
    public void ClosedLoop_KeepsServingTheRule_WhenARoundLogsTooLittleToTrainOn()
    {
        var world = TestWorlds.Simulated(seekers: 60, vacancies: 10, candidates: 5, seed: 1);
        var log = new StringWriter();

        var rounds = ClosedLoopSimulation.Run(world, new ClosedLoopOptions { Rounds = 2, Seed = 1 }, log);

        Assert.Equal(["rule", "rule"], rounds.Select(r => r.Serving));
        Assert.Contains("Cannot train a ranking model", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Trainer_RefusesWithAPlainMessage_WhenExamplesAreTooFewForATree()
    {
        var world = TestWorlds.Simulated(seekers: 60, vacancies: 10, candidates: 5, seed: 1);
        var examples = RankingDataset.FromWorld(world).Examples.Take(30).Select(e => e with { Label = 1 }).ToList();

        var refused = Assert.Throws<InvalidOperationException>(() => new RankingTrainer(new RankingTrainerOptions()).Train(examples));

        Assert.Contains("too few", refused.Message, StringComparison.Ordinal);
    }
}
