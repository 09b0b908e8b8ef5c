namespace JobMatch.Ranking;

/// <summary>
/// The evaluation baseline. A candidate's score is a hash of (seed, vacancy, seeker), so it is
/// reproducible and does not depend on the order candidates arrive in.
/// </summary>
internal sealed class RandomRanker(int seed) : IRanker
{
    public IReadOnlyList<float> Score(string vacancyRef, IReadOnlyList<RankingCandidate> candidates) =>
        candidates.Select(c => (float)StableHash.Unit($"{seed}\u001f{vacancyRef}\u001f{c.SeekerRef}")).ToArray();

    public IReadOnlyList<FeatureReason> Explain(float[] features, int count = 3) => [];
}
