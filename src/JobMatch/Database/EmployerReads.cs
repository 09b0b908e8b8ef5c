using Npgsql;

namespace JobMatch.Database;

/// <summary>
/// Employer-facing reads run as the restricted role <c>jm_employer_api</c> (R4): inside their own transaction,
/// <c>SET LOCAL ROLE</c> drops the app's privileges to SELECT on the tables and columns an employer's pages and
/// e-mails are made of. It has no grant on schema casefile, on seeker_identity or on the seeker columns that say who
/// referred a person, so a query that strays there fails with 42501 instead of leaking. The role ends with the
/// transaction. Writes (audit rows, consent checks, the consented contact read) stay on their own connections.
/// Training providers have their own role (<see cref="ProviderReads"/>); <c>Architecture/RestrictedReadsTests</c>
/// fails when an employer- or provider-facing class opens a plain connection for a read.
/// </summary>
internal static class EmployerReads
{
    public const string Role = "jm_employer_api";

    public static Task<RestrictedRead> BeginAsync(NpgsqlDataSource db, CancellationToken ct) => RestrictedRead.BeginAsync(db, Role, ct);
}

/// <summary>
/// Training-provider-facing reads run as <c>jm_provider_api</c> (R4): trainees by their provider's number, courses,
/// uploads and demand. Providers see tables employers must not (enrolments, trainee numbers, courses), hence a role of
/// its own; like the employer's it has no grant on the case file, identities or the referring agency.
/// </summary>
internal static class ProviderReads
{
    public const string Role = "jm_provider_api";

    public static Task<RestrictedRead> BeginAsync(NpgsqlDataSource db, CancellationToken ct) => RestrictedRead.BeginAsync(db, Role, ct);
}

/// <summary>A read-only transaction under a restricted role (<see cref="EmployerReads"/>, <see cref="ProviderReads"/>).</summary>
internal sealed class RestrictedRead : IAsyncDisposable
{
    private RestrictedRead(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    /// <summary>Commands on this connection run inside <see cref="Transaction"/> (Npgsql enlists them).</summary>
    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }

    internal static async Task<RestrictedRead> BeginAsync(NpgsqlDataSource db, string role, CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
            await SetRoleAsync(connection, transaction, role, ct);
            return new RestrictedRead(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Drops to <paramref name="role"/> for the rest of a transaction the caller owns (a background job that reads
    /// what an employer's e-mail will show, then writes as the app after <see cref="ResetRoleAsync"/>).
    /// </summary>
    internal static async Task SetRoleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string role, CancellationToken ct)
    {
        // role is one of the two constants above, never input.
        await using var command = new NpgsqlCommand($"SET LOCAL ROLE {role}", connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    internal static async Task ResetRoleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("RESET ROLE", connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Reads only: rolled back, which also drops the role before the connection returns to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
