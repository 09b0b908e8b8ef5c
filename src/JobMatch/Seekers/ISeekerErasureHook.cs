using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// What other features do when a seeker is erased (registered as services,
/// <c>services.AddSingleton&lt;ISeekerErasureHook, X&gt;()</c>; <see cref="SeekerErasure"/> runs them all):
/// <see cref="ErasingAsync"/> inside the erasure's transaction (e.g. delete the offer answer codes), and
/// <see cref="ErasedAsync"/> after it committed (e.g. delete the .eml and SMS files that name the person), so a failed
/// erasure deletes no file. Erasure calls both again whenever it is repeated, so each must be idempotent (R22).
/// </summary>
internal interface ISeekerErasureHook
{
    /// <summary>Inside the erasure's transaction. Most hooks only clean up files afterwards: nothing by default.</summary>
    Task ErasingAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, CancellationToken ct) => Task.CompletedTask;

    /// <summary>After the erasure committed (and when it is repeated).</summary>
    Task ErasedAsync(ErasedSeeker seeker, CancellationToken ct);
}

/// <summary>
/// What a hook may need to find a seeker's files after erasure: the ids of every outbox message ever addressed to
/// them, and their phone, e-mail address and name as they were before erasure (null when erasure is repeated: already
/// gone).
/// </summary>
internal sealed record ErasedSeeker(long Id, string Reference, IReadOnlyList<Guid> MessageIds, SeekerIdentity? Identity)
{
    /// <summary>The identity values a file naming the seeker would contain.</summary>
    public IEnumerable<string> Needles =>
        Identity is null ? [] : new[] { Identity.Phone, Identity.Email, Identity.FullName }.OfType<string>().Where(v => v.Length >= 5);
}
