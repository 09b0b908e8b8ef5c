namespace JobMatch.Seekers;

/// <summary>
/// A channel that keeps files naming seekers outside the database (the .eml mail folder; SMS pickup files) registers
/// one of these (<c>services.AddSingleton&lt;ISeekerFileEraser, X&gt;()</c>): erasure calls every one after the
/// database is erased, and again whenever erasure is repeated, so each must be idempotent (R22).
/// </summary>
internal interface ISeekerFileEraser
{
    Task EraseFilesAsync(ErasedSeeker seeker, CancellationToken ct);
}

/// <summary>
/// What a file eraser may need to find a seeker's files: the ids of every outbox message ever addressed to them, and
/// their phone, e-mail address and name as they were before erasure (null when erasure is repeated: already gone).
/// </summary>
internal sealed record ErasedSeeker(long Id, string Reference, IReadOnlyList<Guid> MessageIds, SeekerIdentity? Identity)
{
    /// <summary>The identity values a file naming the seeker would contain.</summary>
    public IEnumerable<string> Needles =>
        Identity is null ? [] : new[] { Identity.Phone, Identity.Email, Identity.FullName }.OfType<string>().Where(v => v.Length >= 5);
}
