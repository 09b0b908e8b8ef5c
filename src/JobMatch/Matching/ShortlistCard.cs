namespace JobMatch.Matching;

/// <summary>
/// What an employer may see of a candidate: an explicit allow-list (security.md R1). Every property here is checked
/// against a list in the tests, so adding one is a reviewed decision. Never a name, phone, e-mail, address, date of
/// birth, gender, referring agency, case information or the name of a certifying provider — except
/// <see cref="Contact"/>, filled only while the seeker's consent to share contact with this employer for this
/// vacancy is active.
/// </summary>
internal sealed record CandidateCard(
    string Handle,
    string Status,
    IReadOnlyList<CardSkill> Skills,
    string ExperienceBand,
    CardPlace? Upazila,
    string AgeBand,
    DateOnly? AvailableFrom,
    CardExplanation Explanation,
    CardContact? Contact);

/// <param name="Source">self_declared, assessed or certified; the certifier is deliberately absent.</param>
/// <param name="CertifiedYear">The year only: a certificate date is one a training provider also sees.</param>
/// <param name="ExperienceBand">under-6m, 6-24m, 2-5y or over-5y (<see cref="CandidateHandle.ExperienceBand"/>).</param>
internal sealed record CardSkill(string Code, string NameEn, string NameBn, int Level, string Source, bool Certified, int? CertifiedYear, string ExperienceBand);

internal sealed record CardPlace(string Code, string NameEn, string NameBn);

/// <summary>The stored explanation, re-stated field by field (so nothing added to the jsonb later leaks through).</summary>
internal sealed record CardExplanation(
    IReadOnlyList<string> RequiredMet, IReadOnlyList<string> RequiredMissing, IReadOnlyList<string> NiceMet,
    double? DistanceKm, string WageFit, IReadOnlyList<CardReason> Reasons)
{
    /// <summary>Optional skills not held at the asked level.</summary>
    public IReadOnlyList<string> NiceMissing { get; init; } = [];
}

internal sealed record CardReason(string Feature, int Direction);

/// <summary>Released after acceptance with an active share_contact consent; each release is audited.</summary>
internal sealed record CardContact(string FullName, string? Phone);

/// <summary>The vacancy's skills against each candidate (Job Bank's comparison chart).</summary>
internal sealed record Comparison(IReadOnlyList<string> Handles, IReadOnlyList<ComparisonRow> Rows);

/// <param name="Cells">One per candidate, in the order of <see cref="Comparison.Handles"/>.</param>
internal sealed record ComparisonRow(string Code, string NameEn, string NameBn, int MinLevel, bool Required, IReadOnlyList<ComparisonCell> Cells);

/// <param name="State">met, below (held under the minimum level) or missing.</param>
internal sealed record ComparisonCell(string State, int? Level);

internal sealed record ShortlistVacancy(long Id, string? TitleEn, string? TitleBn, string Status);

internal sealed record Shortlist(ShortlistVacancy Vacancy, IReadOnlyList<CandidateCard> Candidates, Comparison Comparison, int Page, int PageSize, int Total);
