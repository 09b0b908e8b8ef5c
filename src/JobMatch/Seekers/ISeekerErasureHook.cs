using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// What other features do when a seeker is erased (registered as services; <see cref="SeekerErasure"/> runs them
/// all): <see cref="ErasingAsync"/> inside the erasure's transaction (e.g. cancel queued messages), and
/// <see cref="ErasedAsync"/> after it committed (e.g. delete files that name the person), so a failed erasure deletes
/// no file. Both must be safe to run again.
/// </summary>
internal interface ISeekerErasureHook
{
    Task ErasingAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, CancellationToken ct);

    Task ErasedAsync(long seekerId, CancellationToken ct);
}
