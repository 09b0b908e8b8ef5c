namespace JobMatch.Ranking;

/// <summary>One shown slot: who, at which 1-based position, whether it was filled at random, and with what probability
/// this candidate was shown in the list (its propensity: 1 for the ranker's own picks).</summary>
internal sealed record ShownSlot(string SeekerRef, int Position, bool Exploratory, double Propensity);

/// <summary>
/// Fills a shortlist from a ranker's order, knowingly showing a few candidates the ranker would not (exploration):
/// of <c>shown</c> slots, round(share × shown) are given to candidates drawn uniformly from the next
/// <see cref="ExplorationDepth"/> ranks below the list, each at a uniformly drawn position; the ranker's own top picks
/// fill the other slots in order. Without this, a model retrained on its own outcomes never learns about people it
/// underrates, because they are never shown. Drawing the position at random also makes the exploratory slots the
/// randomized rows that examination by position is estimated from (<see cref="ExaminationPropensity"/>).
/// Only candidates already in the order are ever drawn: the caller's hard filters, consent and do-not-match rules
/// decide who is in it.
/// </summary>
internal static class ExplorationPolicy
{
    public const int ExplorationDepth = 20;

    /// <param name="ranked">The eligible candidates, best first.</param>
    public static IReadOnlyList<ShownSlot> Fill(IReadOnlyList<string> ranked, int shown, double share, Random random)
    {
        var slots = Math.Min(shown, ranked.Count);
        var below = ranked.Skip(slots).Take(ExplorationDepth).ToList();
        var exploring = Math.Min((int)Math.Round(share * slots, MidpointRounding.AwayFromZero), below.Count);
        if (share <= 0 || exploring == 0)
        {
            return ranked.Take(slots).Select((s, i) => new ShownSlot(s, i + 1, false, 1.0)).ToList();
        }

        var drawn = below.OrderBy(_ => random.Next()).Take(exploring).ToList();
        var positions = Enumerable.Range(1, slots).OrderBy(_ => random.Next()).Take(exploring).ToHashSet();
        var propensity = (double)exploring / below.Count;
        var result = new List<ShownSlot>(slots);
        int nextTop = 0, nextDrawn = 0;
        for (var position = 1; position <= slots; position++)
        {
            result.Add(positions.Contains(position)
                ? new ShownSlot(drawn[nextDrawn++], position, true, propensity)
                : new ShownSlot(ranked[nextTop++], position, false, 1.0));
        }

        return result;
    }
}
