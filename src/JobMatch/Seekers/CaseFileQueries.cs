using Dapper;
using JobMatch.Audit;
using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// The only code that reads or writes schema <c>casefile</c> (survivor status, referral source, case notes), and the
/// one way in for saving a case file and adding a note: the rules, the write and its audit entry are here once, for
/// the case worker's page and the case-work API alike. Callers have already scoped the seeker to the case worker's
/// agency. Values are encrypted; every read is audited.
/// </summary>
internal sealed class CaseFileQueries(NpgsqlDataSource db, FieldEncryption encryption, AuditLog audit)
{
    public static readonly string[] SurvivorStatuses = ["trafficking_survivor", "at_risk", "other_vulnerable", "not_stated"];
    public const int MaxReferralSource = 500;
    public const int MaxNote = 10_000;

    /// <summary>
    /// What became of a save: the new <paramref name="Version"/>; or the field of the input that breaks the rules
    /// (the first; nothing written); or neither, when the version was stale (409, nothing written).
    /// </summary>
    public sealed record Saved(long? Version, string? InvalidField);

    private static string? InvalidField(string? survivorStatus, string? referralSource) =>
        survivorStatus is not null && !SurvivorStatuses.Contains(survivorStatus) ? "survivorStatus"
        : referralSource is { Length: > MaxReferralSource } ? "referralSource"
        : null;

    public sealed record CaseFile(string? SurvivorStatus, string? ReferralSource, long Version, IReadOnlyList<CaseNote> Notes);
    public sealed record CaseNote(long Id, string Body, string? WrittenBy, DateTime WrittenAt);

    private sealed class FileRow
    {
        public string? SurvivorStatus { get; set; }
        public string? ReferralSource { get; set; }
        public long Version { get; set; }
    }

    private sealed class NoteRow
    {
        public long Id { get; set; }
        public string Body { get; set; } = "";
        public string? WrittenBy { get; set; }
        public DateTime WrittenAt { get; set; }
    }

    public async Task<CaseFile> ReadAsync(long seekerId, string reference, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var file = await connection.QuerySingleOrDefaultAsync<FileRow>(new CommandDefinition(
            "SELECT survivor_status, referral_source, version FROM casefile.case_file WHERE seeker_id = @seekerId",
            new { seekerId }, cancellationToken: ct));
        var notes = await connection.QueryAsync<NoteRow>(new CommandDefinition(
            """
            SELECT n.id, n.body, u.display_name AS written_by, n.written_at
            FROM casefile.case_note n LEFT JOIN app_user u ON u.id = n.written_by
            WHERE n.seeker_id = @seekerId ORDER BY n.written_at DESC, n.id DESC
            """, new { seekerId }, cancellationToken: ct));
        await audit.WriteAsync("case_file_read", SeekerReference.Subject(reference), ct, connection: connection);
        var ring = await encryption.RingAsync(ct);
        return new CaseFile(
            ring.DecryptOrNull(file?.SurvivorStatus, EncryptedFields.SurvivorStatus),
            ring.DecryptOrNull(file?.ReferralSource, EncryptedFields.ReferralSource),
            file?.Version ?? 0,
            notes.Select(n => new CaseNote(n.Id, ring.Decrypt(n.Body, EncryptedFields.CaseNote), n.WrittenBy, n.WrittenAt)).ToList());
    }

    /// <summary>
    /// Checks and saves status and referral source (a status outside <see cref="SurvivorStatuses"/> or a source over
    /// <see cref="MaxReferralSource"/> characters is refused); version 0 means "no case file yet".
    /// </summary>
    public async Task<Saved> SaveAsync(long seekerId, string reference, string? survivorStatus, string? referralSource, long version, Guid caseWorkerId, CancellationToken ct)
    {
        if (InvalidField(survivorStatus, referralSource) is { } invalid) return new Saved(null, invalid);
        var ring = await encryption.RingAsync(ct);
        var args = new
        {
            seekerId, version, caseWorkerId,
            status = ring.EncryptOrNull(survivorStatus, EncryptedFields.SurvivorStatus),
            source = ring.EncryptOrNull(referralSource?.Trim(), EncryptedFields.ReferralSource),
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var saved = version == 0
            ? await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                """
                INSERT INTO casefile.case_file (seeker_id, survivor_status, referral_source, updated_by)
                VALUES (@seekerId, @status, @source, @caseWorkerId) ON CONFLICT (seeker_id) DO NOTHING RETURNING version
                """, args, tx, cancellationToken: ct))
            : await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                """
                UPDATE casefile.case_file SET survivor_status = @status, referral_source = @source, updated_by = @caseWorkerId,
                    updated_at = now(), version = version + 1
                WHERE seeker_id = @seekerId AND version = @version RETURNING version
                """, args, tx, cancellationToken: ct));
        if (saved is null) return new Saved(null, null);
        await audit.WriteAsync("case_file_updated", SeekerReference.Subject(reference), ct, connection: connection, transaction: tx);
        await tx.CommitAsync(ct);
        return new Saved(saved, null);
    }

    /// <summary>Checks and adds a note of 1 to <see cref="MaxNote"/> characters; false (nothing written) for an empty or longer one.</summary>
    public async Task<bool> AddNoteAsync(long seekerId, string reference, string? body, Guid caseWorkerId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body) || body.Length > MaxNote) return false;
        var ring = await encryption.RingAsync(ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO casefile.case_note (seeker_id, body, written_by) VALUES (@seekerId, @body, @caseWorkerId)",
            new { seekerId, body = ring.Encrypt(body.Trim(), EncryptedFields.CaseNote), caseWorkerId }, tx, cancellationToken: ct));
        await audit.WriteAsync("case_note_added", SeekerReference.Subject(reference), ct, connection: connection, transaction: tx);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Erasure: the whole case file goes.</summary>
    /// <summary>Of these seekers, those whose case file or notes were written since <paramref name="since"/> (retention: that is activity).</summary>
    internal static async Task<HashSet<long>> WrittenSinceAsync(NpgsqlConnection connection, long[] seekerIds, DateTimeOffset since, CancellationToken ct) =>
        (await connection.QueryAsync<long>(new CommandDefinition(
            """
            SELECT seeker_id FROM casefile.case_file WHERE seeker_id = ANY(@seekerIds) AND updated_at >= @since
            UNION
            SELECT seeker_id FROM casefile.case_note WHERE seeker_id = ANY(@seekerIds) AND written_at >= @since
            """, new { seekerIds, since }, cancellationToken: ct))).ToHashSet();

    internal static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM casefile.case_note WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM casefile.case_file WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
    }
}
