namespace JobMatch.Ranking;

/// <summary>
/// How likely an employer was to look at each position of a shown list (a position-based examination model),
/// estimated from the randomized lists and slots of a log. Where the order was random, a candidate's relevance does
/// not depend on the position it landed at, so the rate of positive outcomes at position k is proportional to the
/// chance that position k was examined: θ(k) = rate(k) / rate(1). Learning from the log weights each positive
/// outcome by 1 / θ(its position): a good candidate shown at position 8 and taken counts as much as the several good
/// ones there who were never looked at (inverse-propensity weighting). Weights are clipped at
/// 1 / <see cref="MinPropensity"/> so that a few lucky rows far down cannot dominate.
/// </summary>
internal sealed class ExaminationPropensity
{
    public const double MinPropensity = 0.1;

    // Pseudo-observations at the overall rate: positions with few randomized rows stay near the mean.
    private const double Smoothing = 5;

    private readonly double[] _theta;

    private ExaminationPropensity(double[] theta) => _theta = theta;

    /// <summary>Rows it was estimated from (randomized, with a position).</summary>
    public int RandomizedRows { get; private init; }

    public IReadOnlyList<double> ByPosition => _theta;

    /// <summary>Null when the log has no randomized row with a position: nothing to estimate from.</summary>
    public static ExaminationPropensity? Estimate(IEnumerable<RankingExample> examples)
    {
        var randomized = examples.Where(e => e.Shown && e.Randomized && e.Position is >= 1).ToList();
        if (randomized.Count == 0 || !randomized.Any(e => e.Label > 0))
        {
            return null;
        }

        var positions = randomized.Max(e => e.Position!.Value);
        var shown = new double[positions];
        var positive = new double[positions];
        foreach (var e in randomized)
        {
            shown[e.Position!.Value - 1]++;
            positive[e.Position!.Value - 1] += e.Label > 0 ? 1 : 0;
        }

        var overall = positive.Sum() / shown.Sum();
        var rate = new double[positions];
        for (var k = 0; k < positions; k++)
        {
            rate[k] = (positive[k] + Smoothing * overall) / (shown[k] + Smoothing);
        }

        // Looking further down the list is never more likely than looking higher up: keep θ non-increasing.
        var theta = new double[positions];
        var running = 1.0;
        for (var k = 0; k < positions; k++)
        {
            running = Math.Min(running, rate[k] / rate[0]);
            theta[k] = Math.Clamp(running, MinPropensity, 1.0);
        }

        return new ExaminationPropensity(theta) { RandomizedRows = randomized.Count };
    }

    /// <summary>θ at a 1-based position; positions past the estimated ones take the last estimate.</summary>
    public double At(int position) => _theta[Math.Clamp(position, 1, _theta.Length) - 1];

    /// <summary>
    /// The training weight of one logged example: for a positive outcome 1 / (θ(position) × the probability it was
    /// shown at all), clipped at 1 / <see cref="MinPropensity"/>; else 1. A positive from an exploratory slot drawn one
    /// time in seven stands for the others like it who were not drawn.
    /// </summary>
    public float Weight(RankingExample example) =>
        example.Label > 0 && example.Position is { } p ? (float)(1 / Math.Max(MinPropensity, At(p) * Math.Clamp(example.ShownPropensity, 0, 1))) : 1f;
}
