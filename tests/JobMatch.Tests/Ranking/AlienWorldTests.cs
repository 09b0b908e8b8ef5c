using JobMatch.Ranking;

namespace JobMatch.Tests.Ranking;

/// <summary>evaluate must hold up on worlds made by other code, with other hidden utilities.</summary>
public sealed class AlienWorldTests
{
    [Theory]
    [InlineData(AlienWorld.Utility.DistanceAndWage)]
    [InlineData(AlienWorld.Utility.CertifiedSkills)]
    internal void Evaluate_ModelBeatsRuleAndRandom_OnAnAlienWorld(AlienWorld.Utility utility)
    {
        using var dir = new TempWorld();
        new AlienWorld(seed: 11).Write(dir.Path, seekers: 1500, vacancies: 250, candidates: 30, utility);

        var world = WorldReader.Read(dir.Path);
        var report = EvaluateCommand.Evaluate(world, dir.Path, 0.2, 42, new RankingTrainerOptions(), TextWriter.Null);

        var m = report.Rankers.ToDictionary(r => r.Name, r => r.Metrics);
        Assert.Equal(50, report.TestVacancies);
        Assert.True(report.ScoredTestVacancies >= 30, $"only {report.ScoredTestVacancies} scored test vacancies");
        Assert.True(m["model"].Ndcg10 > m["rule"].Ndcg10, $"model {m["model"].Ndcg10:F3} vs rule {m["rule"].Ndcg10:F3}");
        Assert.True(m["model"].Ndcg10 > m["random"].Ndcg10 + 0.1, $"model {m["model"].Ndcg10:F3} vs random {m["random"].Ndcg10:F3}");
    }
}
