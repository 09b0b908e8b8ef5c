using Dapper;
using JobMatch.Audit;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Consent;

/// <summary>
/// Consent records. Nothing caches consent: every check reads the table, so a withdrawal takes effect on the next
/// request. Matching reads only through the <c>matchable_seeker</c> view or <see cref="IsMatchableAsync"/>.
/// </summary>
internal sealed class ConsentQueries(NpgsqlDataSource db, AuditLog audit, Matching.IMatchingTriggers matching)
{
    public static readonly string[] Purposes = ["matching", "notifications", "share_contact"];

    public sealed class ConsentRow
    {
        public long Id { get; set; }
        public string Purpose { get; set; } = "";
        public Guid? EmployerId { get; set; }
        public string? EmployerName { get; set; }
        public long? VacancyId { get; set; }
        public string Method { get; set; } = "";
        public string? RecordedByName { get; set; }
        public DateTime GrantedAt { get; set; }
        public DateTime? ExpiresAt { get; set; }
        public DateTime? WithdrawnAt { get; set; }
        public bool Active => WithdrawnAt is null && (ExpiresAt is null || ExpiresAt > DateTime.UtcNow);
    }

    public sealed record Grant(string Purpose, string Method, Guid? EmployerId, long? VacancyId, DateTimeOffset? ExpiresAt);

    /// <summary>True while the seeker is active and has an active consent to be matched.</summary>
    public async Task<bool> IsMatchableAsync(long seekerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM matchable_seeker WHERE seeker_id = @seekerId)", new { seekerId }, cancellationToken: ct));
    }

    /// <summary>True while the seeker consents to share contact details with this employer for this vacancy.</summary>
    public async Task<bool> HasContactConsentAsync(long seekerId, Guid employerId, long vacancyId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM consent c JOIN seeker s ON s.id = c.seeker_id
                WHERE c.seeker_id = @seekerId AND c.purpose = 'share_contact' AND c.employer_id = @employerId
                  AND c.vacancy_id = @vacancyId AND c.withdrawn_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > now())
                  AND s.status <> 'erased')
            """, new { seekerId, employerId, vacancyId }, cancellationToken: ct));
    }

    /// <summary>True while the seeker agrees to receive notifications.</summary>
    public async Task<bool> AcceptsNotificationsAsync(long seekerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM consent WHERE seeker_id = @seekerId AND purpose = 'notifications'
                AND withdrawn_at IS NULL AND (expires_at IS NULL OR expires_at > now()))
            """, new { seekerId }, cancellationToken: ct));
    }

    /// <summary>
    /// Closes consents whose end date has passed (withdrawn at their expiry, no one as withdrawer) and audits each as
    /// <c>consent_expired_&lt;purpose&gt;</c>. Checks already treat them as inactive; this records it. Returns how many.
    /// </summary>
    public async Task<int> ExpireAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var expired = (await connection.QueryAsync<(string Purpose, string Reference)>(new CommandDefinition(
            """
            UPDATE consent c SET withdrawn_at = c.expires_at
            FROM seeker s
            WHERE s.id = c.seeker_id AND c.withdrawn_at IS NULL AND c.expires_at <= now()
            RETURNING c.purpose, s.reference
            """, transaction: tx, cancellationToken: ct))).ToList();
        foreach (var (purpose, reference) in expired)
        {
            await audit.WriteAsync($"consent_expired_{purpose}", SeekerReference.Subject(reference), ct, connection: connection, transaction: tx);
        }
        await tx.CommitAsync(ct);
        return expired.Count;
    }

    public async Task<IReadOnlyList<ConsentRow>> ListAsync(long seekerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ConsentRow>(new CommandDefinition(
            """
            SELECT c.id, c.purpose, c.employer_id, o.name AS employer_name, c.vacancy_id, c.method, u.display_name AS recorded_by_name,
                   c.granted_at, c.expires_at, c.withdrawn_at
            FROM consent c LEFT JOIN organisation o ON o.id = c.employer_id LEFT JOIN app_user u ON u.id = c.recorded_by
            WHERE c.seeker_id = @seekerId ORDER BY c.granted_at DESC, c.id DESC
            """, new { seekerId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// Records a consent. Granting what is already active returns the active record (idempotent); an expired record
    /// is closed at its expiry first. Returns field errors or the consent id.
    /// </summary>
    public async Task<(long? Id, Dictionary<string, string[]> Errors)> GrantAsync(long seekerId, string reference, Grant g, Guid recordedBy, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Purposes.Contains(g.Purpose)) errors["purpose"] = ["Use matching, notifications or share_contact."];
        if (!SeekerValidation.Methods.Contains(g.Method)) errors["method"] = ["Use in_person, by_phone, online or by_case_worker."];
        var share = g.Purpose == "share_contact";
        if (share && (g.EmployerId is null || g.VacancyId is null)) errors["employerId"] = ["Sharing contact details names one employer and one vacancy."];
        if (!share && (g.EmployerId is not null || g.VacancyId is not null)) errors["employerId"] = ["Only share_contact names an employer and a vacancy."];
        if (g.ExpiresAt is { } e && e <= DateTimeOffset.UtcNow) errors["expiresAt"] = ["The expiry is in the past."];
        await using var connection = await db.OpenConnectionAsync(ct);
        if (share && g.EmployerId is { } employerId && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM organisation WHERE id = @employerId AND kind = 'employer')", new { employerId }, cancellationToken: ct)))
        {
            errors["employerId"] = ["Unknown employer."];
        }
        if (errors.Count > 0) return (null, errors);

        await using var tx = await connection.BeginTransactionAsync(ct);
        var id = await InsertAsync(connection, tx, seekerId, reference, g, recordedBy, ct);
        await tx.CommitAsync(ct);
        if (g.Purpose == "matching") matching.SeekerChanged(seekerId); // newly matchable
        return (id, errors);
    }

    /// <summary>
    /// Records a share_contact consent inside the caller's transaction (e.g. with the match moving to accepted, so
    /// one cannot happen without the other). The caller has checked the seeker, employer and vacancy.
    /// </summary>
    public async Task<long> GrantShareContactAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, string reference,
        Guid employerId, long vacancyId, string method, Guid recordedBy, CancellationToken ct)
    {
        if (!SeekerValidation.Methods.Contains(method)) throw new ArgumentException("Unknown consent method.", nameof(method));
        return await InsertAsync(connection, tx, seekerId, reference, new Grant("share_contact", method, employerId, vacancyId, null), recordedBy, ct);
    }

    private async Task<long> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, string reference, Grant g, Guid recordedBy, CancellationToken ct)
    {
        var args = new { seekerId, g.Purpose, g.EmployerId, g.VacancyId, g.Method, recordedBy, g.ExpiresAt };
        // An expired record still open is closed at its expiry first, and audited like the expiry job does, so every
        // closed consent has an audit row whichever path closed it.
        var expired = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            UPDATE consent SET withdrawn_at = expires_at
            WHERE seeker_id = @seekerId AND purpose = @Purpose AND COALESCE(vacancy_id, 0) = COALESCE(@VacancyId, 0)
              AND withdrawn_at IS NULL AND expires_at <= now()
            RETURNING purpose
            """, args, tx, cancellationToken: ct));
        if (expired is not null) await audit.WriteAsync($"consent_expired_{expired}", SeekerReference.Subject(reference), ct, connection: connection, transaction: tx);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO consent (seeker_id, purpose, employer_id, vacancy_id, method, recorded_by, expires_at)
            VALUES (@seekerId, @Purpose, @EmployerId, @VacancyId, @Method, @recordedBy, @ExpiresAt)
            ON CONFLICT (seeker_id, purpose, COALESCE(vacancy_id, 0)) WHERE withdrawn_at IS NULL DO NOTHING
            RETURNING id
            """, args, tx, cancellationToken: ct));
        id ??= await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT id FROM consent WHERE seeker_id = @seekerId AND purpose = @Purpose
              AND COALESCE(vacancy_id, 0) = COALESCE(@VacancyId, 0) AND withdrawn_at IS NULL
            """, args, tx, cancellationToken: ct));
        await audit.WriteAsync($"consent_granted_{g.Purpose}", SeekerReference.Subject(reference), ct, recordedBy, connection, tx);
        return id.Value;
    }

    /// <summary>Withdraws at once. False when there is no such active consent for this seeker.</summary>
    public async Task<bool> WithdrawAsync(long seekerId, string reference, long consentId, Guid withdrawnBy, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await WithdrawAsync(connection, tx, seekerId, reference, consentId, withdrawnBy, ct)) return false;
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The same inside the caller's transaction (e.g. with the match the consent was given for).</summary>
    public async Task<bool> WithdrawAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, string reference, long consentId,
        Guid withdrawnBy, CancellationToken ct)
    {
        var purpose = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            UPDATE consent SET withdrawn_at = now(), withdrawn_by = @withdrawnBy
            WHERE id = @consentId AND seeker_id = @seekerId AND withdrawn_at IS NULL
            RETURNING purpose
            """, new { consentId, seekerId, withdrawnBy }, tx, cancellationToken: ct));
        if (purpose is null) return false;
        await audit.WriteAsync($"consent_withdrawn_{purpose}", SeekerReference.Subject(reference), ct, withdrawnBy, connection, tx);
        return true;
    }
}
