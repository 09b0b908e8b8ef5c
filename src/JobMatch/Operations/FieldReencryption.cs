using Dapper;
using JobMatch.Identity;
using JobMatch.Privacy;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Operations;

/// <summary>
/// Rewrites every encrypted value that is not padded (written before issue 14) or not under the current data key, in
/// batches of one transaction each. A value is picked by what it is, not by a cursor, so a run that stops (or is
/// stopped) resumes where it was by running again; a row the app changes meanwhile is left to the app.
/// </summary>
internal sealed class FieldReencryption(NpgsqlDataSource db, FieldEncryption encryption)
{
    /// <summary>One encrypted column: its table, the key that names a row, and the field its values belong to.</summary>
    public sealed record Column(string Table, string Key, string Name, EncryptedField Field);

    /// <summary>Every encrypted column of the schema; a new encrypted column is added here.</summary>
    public static readonly IReadOnlyList<Column> All =
    [
        new("seeker_identity", "seeker_id", "full_name", EncryptedFields.FullName),
        new("seeker_identity", "seeker_id", "first_name", EncryptedFields.FirstName),
        new("seeker_identity", "seeker_id", "phone", EncryptedFields.Phone),
        new("seeker_identity", "seeker_id", "email", EncryptedFields.Email),
        new("seeker_identity", "seeker_id", "address", EncryptedFields.Address),
        new("seeker_identity", "seeker_id", "date_of_birth", EncryptedFields.DateOfBirth),
        new("casefile.case_file", "seeker_id", "survivor_status", EncryptedFields.SurvivorStatus),
        new("casefile.case_file", "seeker_id", "referral_source", EncryptedFields.ReferralSource),
        new("casefile.case_note", "id", "body", EncryptedFields.CaseNote),
        new("app_user", "id", "user_name", StoredUser.UserName),
        new("app_user", "id", "email", StoredUser.Email),
        new("app_user", "id", "phone_number", StoredUser.Phone),
        new("app_user", "id", "authenticator_key", StoredUser.AuthenticatorKey),
    ];

    /// <returns>How many values were rewritten, per column ("table.column"), accounts from before 1400 under "app_user".</returns>
    public async Task<IReadOnlyDictionary<string, int>> RunAsync(int batchSize, TextWriter log, CancellationToken ct)
    {
        var ring = await encryption.RingAsync(ct);
        var counts = new Dictionary<string, int>
        {
            // First: accounts still holding clear names get their index (and padded ciphertext) in one step.
            ["app_user"] = await SignInNameMigration.RunAsync(db, ring, batchSize, ct),
        };
        foreach (var column in All)
        {
            var done = 0;
            while (await BatchAsync(ring, column, batchSize, ct) is var rewritten and > 0)
            {
                done += rewritten;
                await log.WriteLineAsync($"{column.Table}.{column.Name}: {done} rewritten");
            }
            counts[$"{column.Table}.{column.Name}"] = done;
        }
        return counts;
    }

    private async Task<int> BatchAsync(FieldKeyRing ring, Column column, int batchSize, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Identifiers come from the fixed list above, never from input.
        var rows = (await connection.QueryAsync<(object Key, string Value)>(new CommandDefinition(
            $"""
            SELECT {column.Key}, {column.Name} FROM {column.Table}
            WHERE {column.Name} IS NOT NULL AND {column.Name} NOT LIKE @current
            ORDER BY {column.Key} LIMIT @batchSize FOR UPDATE SKIP LOCKED
            """, new { current = ring.CurrentPrefix + "%", batchSize }, tx, cancellationToken: ct))).ToList();
        foreach (var (key, value) in rows)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE {column.Table} SET {column.Name} = @rewritten WHERE {column.Key} = @key",
                new { key, rewritten = ring.Encrypt(ring.Decrypt(value, column.Field), column.Field) }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return rows.Count;
    }
}
