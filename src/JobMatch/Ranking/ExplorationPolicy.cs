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

    /// <summary>How many of <paramref name="slots"/> a share gives to exploration (rounded half away from zero, as <see cref="Fill"/>).</summary>
    public static int ExploratorySlots(double share, int slots) =>
        share <= 0 ? 0 : (int)Math.Round(share * slots, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The exploratory part of one list decided on the platform. Of <paramref name="below"/> (the eligible candidates
    /// just below the list, best first; the first <see cref="ExplorationDepth"/> are the window) <paramref name="count"/>
    /// are drawn uniformly, and put at as many of the list's <paramref name="slots"/> positions, drawn uniformly too.
    /// Draws come from keyed hashes of the seed, the list and the candidate's public reference (or the position),
    /// not from a running random generator: the same seed gives the same draw whatever order lists are decided in,
    /// so the nightly pass and a repeated run agree, and tests can check it.
    /// </summary>
    /// <returns>Indexes into <paramref name="below"/> of the drawn candidates, their 1-based positions (ascending; the
    /// i-th drawn goes to the i-th position), and the propensity of each: drawn / window.</returns>
    public static ExplorationDraw Draw(IReadOnlyList<string> below, int count, int slots, string seed)
    {
        var window = Math.Min(below.Count, ExplorationDepth);
        count = Math.Min(Math.Min(count, window), slots);
        if (count <= 0) return new ExplorationDraw([], [], 1.0);
        var drawn = Enumerable.Range(0, window)
            .OrderBy(i => StableHash.Of(seed + "\u001fcandidate\u001f" + below[i])).ThenBy(i => i)
            .Take(count).ToList();
        var positions = Enumerable.Range(1, slots)
            .OrderBy(p => StableHash.Of(seed + "\u001fposition\u001f" + p.ToString(System.Globalization.CultureInfo.InvariantCulture))).ThenBy(p => p)
            .Take(count).Order().ToList();
        return new ExplorationDraw(drawn, positions, (double)count / window);
    }
}

/// <param name="Drawn">Indexes into the window, in draw order (not rank order, so that a drawn candidate's rank says
/// nothing about the position it gets: the exploratory slots stay the randomized rows examination is estimated from).</param>
/// <param name="Positions">1-based positions in the list, ascending; <c>Drawn[i]</c> goes to <c>Positions[i]</c>.</param>
/// <param name="Propensity">The chance each window candidate had of being drawn.</param>
internal sealed record ExplorationDraw(IReadOnlyList<int> Drawn, IReadOnlyList<int> Positions, double Propensity)
{
    /// <summary>
    /// Merges the ranker's picks (best first) with the drawn ones at their positions: the final list, each entry with
    /// whether it is exploratory and its propensity. Positions past the end of a shorter list are appended in order.
    /// </summary>
    public List<(T Item, bool Exploratory, double Propensity)> Arrange<T>(IReadOnlyList<T> picks, IReadOnlyList<T> drawn)
    {
        var result = new List<(T, bool, double)>(picks.Count + drawn.Count);
        int nextPick = 0, nextDrawn = 0;
        for (var position = 1; nextPick < picks.Count || nextDrawn < drawn.Count; position++)
        {
            var explore = nextDrawn < drawn.Count && (nextPick >= picks.Count || Positions[nextDrawn] == position);
            result.Add(explore ? (drawn[nextDrawn++], true, Propensity) : (picks[nextPick++], false, 1.0));
        }
        return result;
    }
}
