using Dapper;
using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Identity;

/// <summary>
/// Rewrites accounts stored before migration 1400 (sign-in name, e-mail, phone and authenticator secret in clear):
/// fills the blind indexes, encrypts the values and clears the normalised names, in batches, each row once (the
/// clear rows are exactly those without an index, so a run that stops resumes where it stopped). Runs at start-up,
/// because an account without its index cannot sign in, and from the <c>reencrypt</c> verb.
/// </summary>
internal static class SignInNameMigration
{
    private sealed class LegacyRow
    {
        public Guid Id { get; set; }
        public string UserName { get; set; } = "";
        public string? NormalizedUserName { get; set; }
        public string? Email { get; set; }
        public string? NormalizedEmail { get; set; }
        public string? PhoneNumber { get; set; }
        public string? AuthenticatorKey { get; set; }
    }

    /// <returns>How many accounts were rewritten.</returns>
    public static async Task<int> RunAsync(NpgsqlDataSource db, FieldKeyRing ring, int batchSize, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var rows = (await connection.QueryAsync<LegacyRow>(new CommandDefinition(
                """
                SELECT id, user_name, normalized_user_name, email, normalized_email, phone_number, authenticator_key
                FROM app_user WHERE user_name_index IS NULL ORDER BY id LIMIT @batchSize FOR UPDATE SKIP LOCKED
                """, new { batchSize }, tx, cancellationToken: ct))).ToList();
            if (rows.Count == 0) return total;
            foreach (var row in rows)
            {
                // Identity's normaliser is upper-invariant; the stored normalised values are used where present.
                var normalizedName = row.NormalizedUserName ?? row.UserName.Normalize().ToUpperInvariant();
                var normalizedEmail = row.NormalizedEmail ?? row.Email?.Normalize().ToUpperInvariant();
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE app_user SET user_name = @userName, user_name_index = @nameIndex, normalized_user_name = NULL,
                        email = @email, email_index = @emailIndex, normalized_email = NULL, phone_number = @phone,
                        authenticator_key = @authenticatorKey
                    WHERE id = @Id
                    """,
                    new
                    {
                        row.Id,
                        userName = ring.Encrypt(row.UserName, StoredUser.UserName),
                        nameIndex = StoredUser.NameIndex(ring, normalizedName),
                        email = ring.EncryptOrNull(row.Email, StoredUser.Email),
                        emailIndex = StoredUser.EmailIndex(ring, normalizedEmail),
                        phone = ring.EncryptOrNull(row.PhoneNumber, StoredUser.Phone),
                        authenticatorKey = ring.EncryptOrNull(row.AuthenticatorKey, StoredUser.AuthenticatorKey),
                    }, tx, cancellationToken: ct));
            }
            await tx.CommitAsync(ct);
            total += rows.Count;
        }
    }

    /// <summary>At start-up, after the schema migrations: accounts left from before 1400 get their index.</summary>
    public static async Task ProtectSignInNamesAsync(this WebApplication app)
    {
        var ring = await app.Services.GetRequiredService<FieldEncryption>().RingAsync(CancellationToken.None);
        await RunAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), ring, 500, CancellationToken.None);
    }
}
