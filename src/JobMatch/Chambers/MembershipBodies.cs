namespace JobMatch.Chambers;

/// <summary>
/// The three membership bodies, created by migration 1700 with fixed ids (one organisation each), so that demo data
/// and invitations can name a body without looking it up.
/// </summary>
internal static class MembershipBodies
{
    public static readonly IReadOnlyDictionary<string, Guid> Ids = new Dictionary<string, Guid>(StringComparer.Ordinal)
    {
        ["chamber"] = Guid.Parse("01930000-0000-7000-8000-000000000001"),
        ["women_chamber"] = Guid.Parse("01930000-0000-7000-8000-000000000002"),
        ["nascib"] = Guid.Parse("01930000-0000-7000-8000-000000000003"),
    };
}
