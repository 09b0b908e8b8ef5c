using Npgsql;

namespace JobMatch.Database;

/// <summary>
/// Employer- and provider-facing reads run as the restricted role <c>jm_employer_api</c> (R4): inside their own
/// transaction, <c>SET LOCAL ROLE</c> drops the app's privileges to SELECT on the tables and columns an employer card
/// is made of. It has no grant on schema casefile, on seeker_identity or on the seeker columns that say who referred a
/// person, so a query that strays there fails with 42501 instead of leaking. The role ends with the transaction.
/// Writes (audit rows, consent checks, the consented contact read) stay on their own connections.
/// </summary>
internal sealed class EmployerReads : IAsyncDisposable
{
    public const string Role = "jm_employer_api";

    private EmployerReads(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    /// <summary>Commands on this connection run inside <see cref="Transaction"/> (Npgsql enlists them).</summary>
    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }

    public static async Task<EmployerReads> BeginAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
            await using (var command = new NpgsqlCommand($"SET LOCAL ROLE {Role}", connection, transaction))
            {
                await command.ExecuteNonQueryAsync(ct);
            }
            return new EmployerReads(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads only: rolled back, which also drops the role before the connection returns to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
