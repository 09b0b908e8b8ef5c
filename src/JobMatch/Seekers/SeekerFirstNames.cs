using Dapper;
using JobMatch.Audit;
using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// The one identity field other roles may see: a first name (training providers' trainee lists), decrypted here so that
/// provider code never touches <see cref="SeekerIdentities"/> or the key ring (an architecture test checks this).
/// </summary>
internal sealed class SeekerFirstNames(NpgsqlDataSource db, FieldEncryption encryption, AuditLog audit)
{
    /// <summary>First names of several seekers (training providers' trainee lists); one audit row per seeker shown.</summary>
    public async Task<IReadOnlyDictionary<long, string>> ReadAsync(IReadOnlyList<(long Id, string Reference)> seekers, CancellationToken ct)
    {
        if (seekers.Count == 0) return new Dictionary<long, string>();
        var ids = seekers.Select(s => s.Id).ToArray();
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long SeekerId, string FirstName)>(new CommandDefinition(
            "SELECT seeker_id, first_name FROM seeker_identity WHERE seeker_id = ANY(@ids)", new { ids }, cancellationToken: ct));
        var ring = await encryption.RingAsync(ct);
        var names = rows.ToDictionary(r => r.SeekerId, r => ring.Decrypt(r.FirstName, EncryptedFields.FirstName));
        foreach (var (id, reference) in seekers.Where(s => names.ContainsKey(s.Id)))
        {
            await audit.WriteAsync("seeker_first_name_read", SeekerReference.Subject(reference), ct, connection: connection);
        }
        return names;
    }
}
