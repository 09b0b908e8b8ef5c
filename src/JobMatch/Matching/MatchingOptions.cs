using System.ComponentModel.DataAnnotations;

namespace JobMatch.Matching;

internal sealed class MatchingOptions
{
    public const string Section = "Matching";

    /// <summary>How many candidates per vacancy are stored as proposals.</summary>
    [Range(1, 500)] public int TopK { get; set; } = 30;

    /// <summary>How many hard-filtered candidates (most skill overlap first) are scored per vacancy.</summary>
    [Range(10, 100_000)] public int CandidatePool { get; set; } = 1000;

    /// <summary>Congestion cap: a seeker is in at most this many open proposals at a time.</summary>
    [Range(1, 100)] public int MaxOpenProposalsPerSeeker { get; set; } = 5;

    /// <summary>When a seeker's skills or profile change, re-rank at most this many of the best-overlapping open vacancies.</summary>
    [Range(1, 1000)] public int VacanciesPerSeekerUpdate { get; set; } = 50;

    /// <summary>
    /// Database connections the nightly re-match uses at once for candidate pools (also bounded by the cores): a
    /// small number, so the pass leaves the pool to pages and jobs running beside it.
    /// </summary>
    [Range(1, 32)] public int RematchConnections { get; set; } = 4;

    /// <summary>
    /// Share of each shortlist's slots filled at random from the eligible candidates ranked just below it (the next
    /// <see cref="Ranking.ExplorationPolicy.ExplorationDepth"/>), so that retraining learns about people the model
    /// underrates (issue 21). 0.1 is one slot in ten; 0 switches exploration off. Such a slot is reviewed and shown
    /// like any other; only <c>match.exploratory</c> and <c>match.propensity</c> say how it was chosen.
    /// </summary>
    [Range(0.0, 0.5)] public double ExplorationShare { get; set; } = 0.1;

    /// <summary>
    /// Seed of the exploration draw, mixed with the UTC day and the vacancy: the same day, pool and seed give the same
    /// draw (running a pass twice adds nothing), another day draws afresh.
    /// </summary>
    public int ExplorationSeed { get; set; }
}
