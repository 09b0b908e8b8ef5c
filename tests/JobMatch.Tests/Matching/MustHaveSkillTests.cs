using JobMatch.Matching;
using JobMatch.Ranking;
using JobMatch.Tests.Ranking;

namespace JobMatch.Tests.Matching;

/// <summary>
/// Hard requirements are hard: whichever ranker orders the candidates (the rule, or a trained model that could score a
/// strong but incomplete profile highly), a seeker who lacks one of the vacancy's must-have skills is never proposed.
/// </summary>
public sealed class MustHaveSkillTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    private static readonly VacancyProfile Vacancy = new("garments", 21.45, 91.97, 12000, 16000, WorkKind.Wage, 0,
        [new SkillRequirement("GAR-001", 2, Required: true), new SkillRequirement("GAR-002", 1, Required: true), new SkillRequirement("GAR-003", 1, Required: false)]);

    public static TheoryData<string> Rankers => ["rule", "model"];

    [Theory]
    [MemberData(nameof(Rankers))]
    public void Rank_NeverKeepsASeekerMissingAMustHaveSkill_WithEitherRanker(string kind)
    {
        IRanker ranker = kind == "rule" ? new RuleRanker() : tiny.Model;
        // The incomplete profile is otherwise the strongest: every other skill at the top level, years of experience.
        var incomplete = Candidate(1, "JS-AAAAAA", [new("GAR-001", 4, true, 120), new("GAR-003", 4, true, 120)]);
        var complete = Candidate(2, "JS-BBBBBB", [new("GAR-001", 2, false, 6), new("GAR-002", 1, false, 1)]);
        var below = Candidate(3, "JS-CCCCCC", [new("GAR-001", 1, false, 6), new("GAR-002", 1, false, 1)]);

        var ranked = MatchProposer.Rank(ranker, 1, Vacancy, [incomplete, complete, below], FeatureContext.Empty, topK: 10);

        Assert.DoesNotContain(ranked, r => r.SeekerId == 1);
        Assert.Contains(ranked, r => r.SeekerId == 2);
        // Held below the asked level is not "lacking": ranked, and the explanation says which requirement it misses.
        var partly = Assert.Single(ranked, r => r.SeekerId == 3);
        Assert.Equal(["GAR-001"], partly.Explanation.RequiredMissing);
        Assert.Equal(["GAR-003"], partly.Explanation.NiceMissing);
    }

    private static (CandidateQueries.CandidateRow, SeekerRankingProfile) Candidate(long id, string reference, SkillHolding[] skills) =>
        (new CandidateQueries.CandidateRow { Id = id, Reference = reference, RequiresReview = true },
         new SeekerRankingProfile(21.45, 91.97, 2, 13000, WorkKind.Wage, ["garments"], 30, skills));
}
