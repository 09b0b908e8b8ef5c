using Dapper;
using JobMatch.Audit;
using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// The one way other features get a seeker's contact details (name, phone, e-mail, preferred language): the
/// notification sender resolves the address at send time, the match flow shows contact details after consent.
/// Each read names its purpose and writes an audit row <c>seeker_contact_read</c> with subject <c>seeker:JS-…</c>.
/// Callers check consent themselves (<c>ConsentQueries.HasContactConsentAsync</c> for an employer disclosure);
/// an erased seeker has no contact details (null).
/// </summary>
internal sealed class SeekerContact(NpgsqlDataSource db, FieldEncryption encryption, AuditLog audit)
{
    /// <summary>Why contact details are read; anything else is refused.</summary>
    public static readonly string[] Purposes = ["notification", "employer_disclosure", "case_work"];

    public sealed record Details(long SeekerId, string Reference, string FullName, string FirstName, string? Phone, string? Email, string PreferredLanguage);

    public async Task<Details?> ReadAsync(long seekerId, string purpose, CancellationToken ct, Guid? actorUserId = null)
    {
        if (!Purposes.Contains(purpose)) throw new ArgumentOutOfRangeException(nameof(purpose), "Unknown purpose for reading contact details.");
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT s.reference, i.full_name, i.first_name, i.phone, i.email, i.preferred_language
            FROM seeker s JOIN seeker_identity i ON i.seeker_id = s.id
            WHERE s.id = @seekerId AND s.status <> 'erased'
            """, new { seekerId }, cancellationToken: ct));
        if (row is null) return null;
        await audit.WriteAsync("seeker_contact_read", SeekerReference.Subject(row.Reference), ct, actorUserId, connection);
        var ring = await encryption.RingAsync(ct);
        return new Details(seekerId, row.Reference,
            ring.Decrypt(row.FullName, EncryptedFields.FullName), ring.Decrypt(row.FirstName, EncryptedFields.FirstName),
            ring.DecryptOrNull(row.Phone, EncryptedFields.Phone), ring.DecryptOrNull(row.Email, EncryptedFields.Email), row.PreferredLanguage);
    }

    private sealed class Row
    {
        public string Reference { get; set; } = "";
        public string FullName { get; set; } = "";
        public string FirstName { get; set; } = "";
        public string? Phone { get; set; }
        public string? Email { get; set; }
        public string PreferredLanguage { get; set; } = "bn";
    }
}
