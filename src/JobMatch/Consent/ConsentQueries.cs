using Dapper;
using JobMatch.Audit;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Consent;

/// <summary>
/// Consent records. Nothing caches consent: every check reads the table, so a withdrawal takes effect on the next
/// request. Matching reads only through the <c>matchable_seeker</c> view or <see cref="IsMatchableAsync"/>.
/// </summary>
internal sealed class ConsentQueries(NpgsqlDataSource db, AuditLog audit, MatchingContract.IMatchingTriggers matching)
{
    public static readonly string[] Purposes = ["matching", "notifications", "share_contact"];

    /// <summary>
    /// How a seeker agreed to be told, named by the notifications consent: SMS to their own phone, e-mail to their own
    /// address, or relay through their case worker (alone: neither SMS nor e-mail). In this order wherever shown.
    /// </summary>
    public static readonly string[] Channels = [NotificationChannels.Sms, NotificationChannels.Email, NotificationChannels.Relay];

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
        /// <summary>For a notifications consent: the channels the seeker chose (see <see cref="Channels"/>); otherwise null.</summary>
        public string[]? Channels { get; set; }
        public bool Active => WithdrawnAt is null && (ExpiresAt is null || ExpiresAt > DateTime.UtcNow);
    }

    /// <param name="Channels">Required for 'notifications' (see <see cref="ConsentQueries.Channels"/>), absent for the others.</param>
    public sealed record Grant(string Purpose, string Method, Guid? EmployerId, long? VacancyId, DateTimeOffset? ExpiresAt,
        IReadOnlyCollection<string>? Channels = null);

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
            SELECT EXISTS (SELECT 1 FROM active_consent c JOIN seeker s ON s.id = c.seeker_id
                WHERE c.seeker_id = @seekerId AND c.purpose = 'share_contact' AND c.employer_id = @employerId
                  AND c.vacancy_id = @vacancyId AND s.status <> 'erased')
            """, new { seekerId, employerId, vacancyId }, cancellationToken: ct));
    }

    /// <summary>True while the seeker agrees to receive notifications.</summary>
    public async Task<bool> AcceptsNotificationsAsync(long seekerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM active_consent WHERE seeker_id = @seekerId AND purpose = 'notifications')
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
        var expired = (await connection.QueryAsync<(string Purpose, string Reference, long SeekerId)>(new CommandDefinition(
            """
            UPDATE consent c SET withdrawn_at = c.expires_at
            FROM seeker s
            WHERE s.id = c.seeker_id AND c.withdrawn_at IS NULL AND c.expires_at <= now()
            RETURNING c.purpose, s.reference, s.id
            """, transaction: tx, cancellationToken: ct))).ToList();
        foreach (var (purpose, reference, _) in expired)
        {
            await audit.WriteAsync($"consent_expired_{purpose}", SeekerReference.Subject(reference), ct, connection: connection, transaction: tx);
        }
        // Reads already hid these seekers at the expiry; this withdraws what is still open.
        foreach (var seekerId in expired.Select(e => e.SeekerId).Distinct())
        {
            await MatchingContract.MatchRule.WithdrawForbiddenAsync(connection, tx, seekerId, null, null, ct);
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
                   c.granted_at, c.expires_at, c.withdrawn_at, c.channels
            FROM consent c LEFT JOIN organisation o ON o.id = c.employer_id LEFT JOIN app_user u ON u.id = c.recorded_by
            WHERE c.seeker_id = @seekerId ORDER BY c.granted_at DESC, c.id DESC
            """, new { seekerId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// Records a consent. Granting what is already active returns the active record (idempotent); an expired record
    /// is closed at its expiry first. A notifications consent with other channels than the active one replaces it
    /// (the old record is withdrawn now, so the history shows what was agreed when). Returns field errors or the
    /// consent id. The case worker's page and the API both come here, so they accept and refuse the same.
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
        var channels = NormaliseChannels(g.Purpose, g.Channels, errors);
        await using var connection = await db.OpenConnectionAsync(ct);
        if (share && g.EmployerId is { } employerId && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM organisation WHERE id = @employerId AND kind = 'employer')", new { employerId }, cancellationToken: ct)))
        {
            errors["employerId"] = ["Unknown employer."];
        }
        if (errors.Count > 0) return (null, errors);

        await using var tx = await connection.BeginTransactionAsync(ct);
        var id = await InsertAsync(connection, tx, seekerId, reference, g with { Channels = channels }, recordedBy, ct);
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
        // 'by_sms': accepted by replying to the offer SMS (not a method a case worker picks when registering).
        if (!SeekerValidation.Methods.Contains(method) && method != "by_sms") throw new ArgumentException("Unknown consent method.", nameof(method));
        return await InsertAsync(connection, tx, seekerId, reference, new Grant("share_contact", method, employerId, vacancyId, null), recordedBy, ct);
    }

    /// <summary>
    /// The channels of a notifications consent in their canonical order, or field errors (English sentences, keys of
    /// ValidationText): at least one; relay alone; nothing but sms, email, relay; none for the other purposes.
    /// </summary>
    private static string[]? NormaliseChannels(string purpose, IReadOnlyCollection<string>? given, Dictionary<string, string[]> errors)
    {
        var chosen = (given ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (purpose != "notifications")
        {
            if (chosen.Count > 0) errors["channels"] = ["Only the consent to notifications says how the person is told."];
            return null;
        }
        if (chosen.Count == 0) errors["channels"] = ["Choose how the person wants to be told: SMS, e-mail or through their case worker."];
        else if (chosen.Any(c => !Channels.Contains(c))) errors["channels"] = ["Use sms, email or relay."];
        else if (chosen.Contains(NotificationChannels.Relay) && chosen.Count > 1)
        {
            errors["channels"] = ["Through the case worker means no SMS and no e-mail: choose it alone."];
        }
        return [.. Channels.Where(chosen.Contains)];
    }

    private async Task<long> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, string reference, Grant g, Guid recordedBy, CancellationToken ct)
    {
        var channels = g.Channels?.ToArray();
        var args = new { seekerId, g.Purpose, g.EmployerId, g.VacancyId, g.Method, recordedBy, g.ExpiresAt, channels };
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
        // Another choice of channels replaces the active notifications consent: withdrawn now, the new one granted in
        // the same transaction, so there is never a moment without one. The senders read it when sending.
        var replaced = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            UPDATE consent SET withdrawn_at = now(), withdrawn_by = @recordedBy
            WHERE seeker_id = @seekerId AND purpose = 'notifications' AND @Purpose = 'notifications'
              AND withdrawn_at IS NULL AND channels IS DISTINCT FROM @channels
            RETURNING purpose
            """, args, tx, cancellationToken: ct));
        if (replaced is not null) await audit.WriteAsync($"consent_withdrawn_{replaced}", SeekerReference.Subject(reference), ct, recordedBy, connection, tx);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO consent (seeker_id, purpose, employer_id, vacancy_id, method, recorded_by, expires_at, channels)
            VALUES (@seekerId, @Purpose, @EmployerId, @VacancyId, @Method, @recordedBy, @ExpiresAt, @channels)
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
        // Withdrawing the consent to be matched withdraws every open proposal and unanswered invitation at once.
        await MatchingContract.MatchRule.WithdrawForbiddenAsync(connection, tx, seekerId, null, withdrawnBy, ct);
        await audit.WriteAsync($"consent_withdrawn_{purpose}", SeekerReference.Subject(reference), ct, withdrawnBy, connection, tx);
        return true;
    }
}

/// <summary>The channels a notifications consent may name (stored in <c>consent.channels</c>).</summary>
internal static class NotificationChannels
{
    public const string Sms = "sms";
    public const string Email = "email";
    /// <summary>Neither SMS nor e-mail: the case worker tells the person (the caseload's offers page).</summary>
    public const string Relay = "relay";
}
