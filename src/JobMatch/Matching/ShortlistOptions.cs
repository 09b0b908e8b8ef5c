using System.ComponentModel.DataAnnotations;

namespace JobMatch.Matching;

/// <summary>Limits on what an employer can see of candidates (SECURITY.md R8), in the "Matching" section.</summary>
internal sealed class ShortlistOptions
{
    public const string Section = "Matching";

    /// <summary>Shortlist and candidate requests one employer organisation may make per clock hour; past it, 429.</summary>
    [Range(1, 100_000)] public int CandidateViewsPerHour { get; set; } = 100;

    /// <summary>Cards per shortlist page (the API's <c>pageSize</c> cannot exceed it).</summary>
    [Range(1, 100)] public int ShortlistPageSize { get; set; } = 20;
}
