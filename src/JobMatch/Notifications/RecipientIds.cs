namespace JobMatch.Notifications;

/// <summary>Parses recipient ids, remembering every spelling asked for, so a resolver answers under the ids exactly as asked.</summary>
internal static class RecipientIds
{
    public static ILookup<Guid, string> Guids(IReadOnlyCollection<string> recipientIds) =>
        recipientIds
            .Select(id => (Text: id, Guid: Guid.TryParse(id, out var guid) ? guid : (Guid?)null))
            .Where(x => x.Guid is not null)
            .ToLookup(x => x.Guid!.Value, x => x.Text);

    public static ILookup<long, string> Longs(IReadOnlyCollection<string> recipientIds) =>
        recipientIds
            .Select(id => (Text: id, Long: long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : (long?)null))
            .Where(x => x.Long is not null)
            .ToLookup(x => x.Long!.Value, x => x.Text);
}
