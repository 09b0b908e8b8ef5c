using Dapper;
using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// The keyed blind index of a seeker's e-mail (migration 1310), found like <c>phone_index</c>: for duplicate checks at
/// registration only. Rows written before 1310 are filled at start-up, in batches, each row once (the rows left are
/// exactly those with an e-mail and no index, so a run that stops resumes where it stopped) — the same shape as
/// <c>Identity/SignInNameMigration</c>, because the index key never reaches the database and SQL cannot compute it.
/// </summary>
internal static class SeekerEmailIndex
{
    /// <summary>One form per address: trimmed, Unicode-normalised, upper-case (as Identity normalises e-mails); null for none.</summary>
    public static string? Normalize(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().Normalize().ToUpperInvariant();

    public static byte[]? Of(FieldKeyRing ring, string? email) =>
        Normalize(email) is { } normalised ? ring.BlindIndex(normalised, EncryptedFields.Email) : null;

    /// <returns>How many identities got their index.</returns>
    /// <remarks>
    /// Decrypts e-mails inside the process only to hash them, like the <c>reencrypt</c> verb; nothing is shown to a
    /// person, so there is no per-seeker read to audit.
    /// </remarks>
    public static async Task<int> FillAsync(NpgsqlDataSource db, FieldKeyRing ring, int batchSize, CancellationToken ct)
    {
        // Keyset paging, not "until no row lacks an index": a blank e-mail has no index and must not be read forever.
        var (total, after) = (0, 0L);
        while (true)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var rows = (await connection.QueryAsync<(long SeekerId, string Email)>(new CommandDefinition(
                """
                SELECT seeker_id, email FROM seeker_identity WHERE email IS NOT NULL AND email_index IS NULL AND seeker_id > @after
                ORDER BY seeker_id LIMIT @batchSize FOR UPDATE SKIP LOCKED
                """, new { batchSize, after }, tx, cancellationToken: ct))).ToList();
            if (rows.Count == 0) return total;
            foreach (var (seekerId, email) in rows)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE seeker_identity SET email_index = @index WHERE seeker_id = @seekerId",
                    new { seekerId, index = Of(ring, ring.Decrypt(email, EncryptedFields.Email)) }, tx, cancellationToken: ct));
            }
            await tx.CommitAsync(ct);
            total += rows.Count;
            after = rows[^1].SeekerId;
        }
    }

    /// <summary>At start-up, after the schema migrations: identities from before 1310 get their e-mail index.</summary>
    public static async Task IndexSeekerEmailsAsync(this WebApplication app)
    {
        var ring = await app.Services.GetRequiredService<FieldEncryption>().RingAsync(CancellationToken.None);
        await FillAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), ring, 500, CancellationToken.None);
    }
}
