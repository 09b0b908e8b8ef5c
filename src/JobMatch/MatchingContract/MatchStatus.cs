namespace JobMatch.MatchingContract;

/// <summary>
/// The states of a match and the transitions that make sense (ARCHITECTURE.md "the flow of one match"):
/// proposed → (approved by the case worker | skipped) → shown to the employer → invited → accepted or declined by the
/// seeker → interviewed → hired or not selected; withdrawn at any open point. Where the seeker's agency does not
/// require review, a proposal goes straight to shown.
/// </summary>
internal static class MatchStatus
{
    public const string Proposed = "proposed";
    public const string Approved = "approved";
    public const string Skipped = "skipped";
    public const string Shown = "shown";
    public const string Invited = "invited";
    public const string Accepted = "accepted";
    public const string Declined = "declined";
    public const string Interviewed = "interviewed";
    public const string Hired = "hired";
    public const string NotSelected = "not_selected";
    public const string Withdrawn = "withdrawn";

    public static readonly string[] All = [Proposed, Approved, Skipped, Shown, Invited, Accepted, Declined, Interviewed, Hired, NotSelected, Withdrawn];

    /// <summary>States in which the match still occupies one of the seeker's open slots (congestion cap).</summary>
    public static readonly string[] Open = [Proposed, Approved, Shown, Invited, Accepted, Interviewed];

    /// <summary>States an employer can see a candidate card in.</summary>
    public static readonly string[] VisibleToEmployer = [Shown, Invited, Accepted, Declined, Interviewed, Hired, NotSelected];

    /// <summary>States after which contact details may be shown (still subject to an active share_contact consent).</summary>
    public static readonly string[] ContactMayShow = [Accepted, Interviewed, Hired, NotSelected];

    private static readonly Dictionary<string, string[]> Next = new()
    {
        [Proposed] = [Approved, Skipped, Shown, Withdrawn],
        [Approved] = [Shown, Withdrawn],
        [Shown] = [Invited, NotSelected, Withdrawn],
        [Invited] = [Accepted, Declined, Withdrawn],
        [Accepted] = [Interviewed, Hired, NotSelected, Withdrawn],
        [Interviewed] = [Hired, NotSelected, Withdrawn],
        [Skipped] = [],
        [Declined] = [],
        [Hired] = [],
        [NotSelected] = [],
        [Withdrawn] = [],
    };

    public static bool CanMove(string from, string to) => Next.TryGetValue(from, out var next) && next.Contains(to);

    public static IReadOnlyList<string> NextStates(string from) => Next.TryGetValue(from, out var next) ? next : [];

    /// <summary>Training label of an outcome (src/JobMatch/Ranking/README.md): hired 3, interviewed 2, invited/shortlisted 1, otherwise 0.</summary>
    public static int? Label(string status) => status switch
    {
        Hired => 3,
        Interviewed => 2,
        Invited or Accepted => 1,
        NotSelected or Declined => 0,
        _ => null, // not (yet) an outcome
    };
}
