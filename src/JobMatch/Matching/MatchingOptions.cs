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
}
