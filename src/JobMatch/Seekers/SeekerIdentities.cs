using Dapper;
using JobMatch.Audit;
using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// Decrypts a seeker's identity for case work. Every read writes an audit row (<c>seeker_identity_read</c>) so the
/// case worker can see who looked at this person.
/// </summary>
internal sealed class SeekerIdentities(NpgsqlDataSource db, FieldEncryption encryption, AuditLog audit)
{
    internal sealed class EncryptedIdentity
    {
        public long SeekerId { get; set; }
        public string FullName { get; set; } = "";
        public string FirstName { get; set; } = "";
        public string? Phone { get; set; }
        public string? Email { get; set; }
        public string? Address { get; set; }
        public string? DateOfBirth { get; set; }
        public string PreferredLanguage { get; set; } = "bn";
    }

    public async Task<SeekerIdentity?> ReadAsync(long seekerId, string reference, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<EncryptedIdentity>(new CommandDefinition(
            "SELECT seeker_id, full_name, first_name, phone, email, address, date_of_birth, preferred_language FROM seeker_identity WHERE seeker_id = @seekerId",
            new { seekerId }, cancellationToken: ct));
        if (row is null) return null;
        await audit.WriteAsync("seeker_identity_read", SeekerReference.Subject(reference), ct);
        return Decrypt(await encryption.RingAsync(ct), row);
    }

    internal static SeekerIdentity Decrypt(FieldKeyRing ring, EncryptedIdentity row) => new(
        ring.Decrypt(row.FullName, EncryptedFields.FullName),
        ring.Decrypt(row.FirstName, EncryptedFields.FirstName),
        ring.DecryptOrNull(row.Phone, EncryptedFields.Phone),
        ring.DecryptOrNull(row.Email, EncryptedFields.Email),
        ring.DecryptOrNull(row.Address, EncryptedFields.Address),
        ring.DecryptOrNull(row.DateOfBirth, EncryptedFields.DateOfBirth) is { } dob ? DateOnly.ParseExact(dob, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
        row.PreferredLanguage);
}
