using JobMatch.Ranking;

namespace JobMatch.Tests.Ranking;

public sealed class RuleRankerTests
{
    private static readonly VacancyProfile Tailor = new(
        "garments", 21.44, 92.0, 9000, 12000, WorkKind.Wage, 1,
        [new("TAILOR_BASIC", 2, true), new("EMBROIDERY", 1, false)]);

    [Fact]
    public void Score_PutsCandidateWithAllRequiredSkillsFirst()
    {
        var skilled = Candidate("a", [new("TAILOR_BASIC", 3, true, 24)]);
        var unskilled = Candidate("b", [new("COOK_LINE", 3, true, 24)]);

        var scores = new RuleRanker().Score("v", [unskilled, skilled]);

        Assert.True(scores[1] > scores[0]);
    }

    [Fact]
    public void Score_SinksACandidateFarBeyondTheirTravelRange()
    {
        var near = Candidate("a", [new("TAILOR_BASIC", 2, false, 0)]);
        var far = Candidate("b", [new("TAILOR_BASIC", 2, false, 0)], lat: 20.86, lon: 92.30);

        var scores = new RuleRanker().Score("v", [near, far]);

        Assert.True(scores[0] > scores[1]);
    }

    [Fact]
    public void Terms_IgnoreUnknownInputs()
    {
        var features = new float[RankingFeatures.Count];
        features[RankingFeatures.DistanceKm] = features[RankingFeatures.TravelRatio] = features[RankingFeatures.BeyondTravelKm] = float.NaN;

        var terms = RuleRanker.Terms(features);

        Assert.DoesNotContain(terms, float.IsNaN);
    }

    [Fact]
    public void Explain_NamesTheWeightedTermsWithTheirDirection()
    {
        var far = Candidate("b", [new("TAILOR_BASIC", 3, false, 0)], lat: 20.86, lon: 92.30);

        var reasons = new RuleRanker().Explain(far.Features, count: 3);

        // About 70 km away with a 10 km range: -0.1 x 60 km beyond, -0.5 x ratio 7, +3 x full coverage.
        Assert.Equal(
            [new("beyond_travel_km", -1), new("travel_ratio", -1), new FeatureReason("required_coverage", 1)],
            reasons);
        Assert.All(reasons, r => Assert.Contains(r.Feature, RankingFeatures.Names));
    }

    [Fact]
    public void RandomRanker_IsReproducible_AndIndependentOfCandidateOrder()
    {
        var candidates = Enumerable.Range(0, 30).Select(i => new RankingCandidate($"s{i}", new float[RankingFeatures.Count])).ToList();
        var reversed = Enumerable.Reverse(candidates).ToList();

        var first = new RandomRanker(5).Score("v1", candidates);
        var again = new RandomRanker(5).Score("v1", reversed).Reverse();
        var otherSeed = new RandomRanker(6).Score("v1", candidates);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.All(first, s => Assert.InRange(s, 0f, 1f));
    }

    private static RankingCandidate Candidate(string id, SkillHolding[] skills, double lat = 21.45, double lon = 92.01)
    {
        var seeker = new SeekerRankingProfile(lat, lon, 2, 10000, WorkKind.Any, [], 10, skills);
        return new RankingCandidate(id, RankingFeatures.Compute(seeker, Tailor, FeatureContext.Empty));
    }
}
