using Dapper;
using JobMatch.Audit;
using JobMatch.MatchingContract;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// Case work's reads and writes of the seeker row. Every method is scoped by the caller's agency: a seeker of
/// another agency is simply not found (404, no existence oracle).
/// </summary>
internal sealed class SeekerQueries(NpgsqlDataSource db, IMatchingTriggers matching, AuditLog audit)
{
    private const string Columns = """
        id, reference, agency_id, user_id, status, upazila_code, education_level, languages, literacy, wants,
        preferred_sectors, expected_wage_bdt, max_travel_km, available_from, hours_per_week, gender, birth_year,
        blocked_sectors, blocked_employer_ids, blocked_upazilas, version, created_at
        """;

    /// <summary>A seeker of this agency that has not been erased, or null.</summary>
    public async Task<SeekerRow?> FindAsync(string? reference, Guid agencyId, CancellationToken ct, bool includeErased = false)
    {
        if (SeekerReference.Normalize(reference) is not { } normalised || agencyId == Guid.Empty) return null;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<SeekerRow>(new CommandDefinition(
            $"SELECT {Columns} FROM seeker WHERE reference = @normalised AND agency_id = @agencyId AND (@includeErased OR status <> 'erased')",
            new { normalised, agencyId, includeErased }, cancellationToken: ct));
    }

    public sealed class CaseloadRow
    {
        public long Id { get; set; }
        public string Reference { get; set; } = "";
        public string Status { get; set; } = "";
        public string? UpazilaCode { get; set; }
        public bool Matchable { get; set; }
        public int SkillCount { get; set; }
        public DateTime CreatedAt { get; set; }
        /// <summary>Proposals not yet answered by an employer's invitation: waiting for review or on a shortlist.</summary>
        public int OpenProposals { get; set; }
        /// <summary>Invitations the seeker has not finished with: waiting for an answer, accepted, interviewed.</summary>
        public int OpenOffers { get; set; }
    }

    /// <summary>The agency's caseload, newest first (references and status only: no identity, so no audit row).</summary>
    public async Task<IReadOnlyList<CaseloadRow>> CaseloadAsync(Guid agencyId, int page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<CaseloadRow>(new CommandDefinition(
            """
            SELECT s.id, s.reference, s.status, s.upazila_code, cardinality(s.skill_ids) AS skill_count, s.created_at,
                   EXISTS (SELECT 1 FROM matchable_seeker m WHERE m.seeker_id = s.id) AS matchable,
                   (SELECT count(*) FROM match m WHERE m.seeker_id = s.id AND m.status IN ('proposed', 'approved', 'shown'))::int AS open_proposals,
                   (SELECT count(*) FROM match m WHERE m.seeker_id = s.id AND m.status IN ('invited', 'accepted', 'interviewed'))::int AS open_offers
            FROM seeker s
            WHERE s.agency_id = @agencyId AND s.status <> 'erased'
            ORDER BY s.created_at DESC, s.id DESC
            LIMIT 50 OFFSET @offset
            """, new { agencyId, offset = Math.Max(0, page - 1) * 50 }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// The one operation behind the case-work profile page and the API: checks the profile (reasons added to
    /// <paramref name="errors"/>, 400) and saves it with optimistic concurrency. The new version when saved; null when
    /// the input was refused (<paramref name="errors"/> not empty) or the version was stale (409).
    /// </summary>
    public async Task<long?> UpdateProfileAsync(long seekerId, long version, SeekerProfile p, Guid actorUserId, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await SeekerValidation.ProfileAsync(connection, p, errors, ct); // also fills empty lists, so before the arguments
        if (errors.Count > 0) return null;
        return await SaveAsync(connection, seekerId, actorUserId,
            """
            UPDATE seeker SET upazila_code = @UpazilaCode, education_level = @EducationLevel, languages = @Languages,
                literacy = @Literacy, wants = @Wants, preferred_sectors = @PreferredSectors, expected_wage_bdt = @ExpectedWageBdt,
                max_travel_km = @MaxTravelKm, available_from = @AvailableFrom, hours_per_week = @HoursPerWeek,
                gender = @Gender, birth_year = @BirthYear, version = version + 1, updated_at = now()
            WHERE id = @seekerId AND version = @version AND status <> 'erased'
            RETURNING version
            """,
            new
            {
                seekerId, version, p.UpazilaCode, p.EducationLevel, p.Languages, p.Literacy, p.Wants, p.PreferredSectors,
                p.ExpectedWageBdt, p.MaxTravelKm, p.AvailableFrom, p.HoursPerWeek, p.Gender, p.BirthYear,
            }, ct);
    }

    /// <summary>The do-not-match rules, as <see cref="UpdateProfileAsync"/>: checked, then saved; null when refused or stale.</summary>
    public async Task<long?> UpdateRulesAsync(long seekerId, long version, DoNotMatchRules r, Guid actorUserId, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await SeekerValidation.RulesAsync(connection, r, errors, ct);
        if (errors.Count > 0) return null;
        return await SaveAsync(connection, seekerId, actorUserId,
            """
            UPDATE seeker SET blocked_sectors = @BlockedSectors, blocked_employer_ids = @BlockedEmployerIds,
                blocked_upazilas = @BlockedUpazilas, version = version + 1, updated_at = now()
            WHERE id = @seekerId AND version = @version AND status <> 'erased'
            RETURNING version
            """, new { seekerId, version, r.BlockedSectors, r.BlockedEmployerIds, r.BlockedUpazilas }, ct);
    }

    /// <summary>
    /// Statuses a case worker sets by hand: paused (e.g. the person is unwell or unsafe for a while) and withdrawn (left
    /// the programme) stop matching like placed; active brings the person back. Placed comes only from a recorded hire
    /// and erased only from erasure, so neither is accepted here.
    /// </summary>
    public static readonly string[] SettableStatuses = ["active", "paused", "withdrawn"];

    /// <summary>Found is false when the seeker was erased meanwhile (404); Errors are field errors (400).</summary>
    public sealed record StatusChange(bool Found, Dictionary<string, string[]> Errors);

    /// <summary>
    /// The one operation behind the case-work page and the API: sets the status and, in the same transaction, withdraws
    /// every open match the rule now forbids (match_rule answers seeker_paused / seeker_withdrawn), audited, so the
    /// employer's next request no longer shows the person. Back to active withdraws nothing and brings nothing back:
    /// withdrawn matches are history (the proposer only refreshes rows still 'proposed'); new proposals may follow.
    /// Setting the status the seeker already has changes nothing and writes no audit row.
    /// </summary>
    public async Task<StatusChange> SetStatusAsync(long seekerId, string reference, string? status, Guid actorUserId, CancellationToken ct)
    {
        if (status is null || !SettableStatuses.Contains(status))
        {
            return new StatusChange(true, new Dictionary<string, string[]> { ["status"] = ["Use active, paused or withdrawn."] });
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var previous = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM seeker WHERE id = @seekerId AND status <> 'erased' FOR UPDATE", new { seekerId }, tx, cancellationToken: ct));
        if (previous is null) return new StatusChange(false, []);
        if (previous == status) return new StatusChange(true, []);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE seeker SET status = @status, version = version + 1, updated_at = now() WHERE id = @seekerId",
            new { seekerId, status }, tx, cancellationToken: ct));
        await MatchRule.WithdrawForbiddenAsync(connection, tx, seekerId, null, actorUserId, ct);
        await audit.WriteAsync(status == "active" ? "seeker_resumed" : "seeker_" + status, SeekerReference.Subject(reference), ct, actorUserId, connection, tx);
        await tx.CommitAsync(ct);
        if (status == "active") matching.SeekerChanged(seekerId);
        return new StatusChange(true, []);
    }

    /// <summary>
    /// Saves and, in the same transaction, withdraws every open match the change now forbids (a do-not-match rule,
    /// availability moved past a closing date): the employer's next request no longer shows the person.
    /// </summary>
    private async Task<long?> SaveAsync(NpgsqlConnection connection, long seekerId, Guid actorUserId, string sql, object args, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var saved = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, args, tx, cancellationToken: ct));
        if (saved is null) return null;
        await MatchRule.WithdrawForbiddenAsync(connection, tx, seekerId, null, actorUserId, ct);
        await tx.CommitAsync(ct);
        matching.SeekerChanged(seekerId);
        return saved;
    }

    /// <summary>Who read this seeker's identity, contact details or case file, newest first (from the audit log).</summary>
    public async Task<IReadOnlyList<AccessLogRow>> AccessLogAsync(string reference, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<AccessLogRow>(new CommandDefinition(
            """
            SELECT a.at, a.action, u.display_name AS actor_name, u.role AS actor_role, o.name AS organisation_name
            FROM audit_log a
            LEFT JOIN app_user u ON u.id = a.actor_user_id
            LEFT JOIN organisation o ON o.id = a.actor_organisation_id
            WHERE a.subject = @subject
            ORDER BY a.at DESC, a.id DESC
            LIMIT 200
            """, new { subject = SeekerReference.Subject(reference) }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// Seekers (not yet erased) with no sign of activity since <paramref name="cutoff"/>: profile or skills edited,
    /// signed in (<c>last_active_at</c>), a match moved, a consent given or withdrawn, the case file written. Pages
    /// by id: the next call passes <c>LastScannedId</c> as <paramref name="afterId"/> (null when nothing was left).
    /// </summary>
    public async Task<(IReadOnlyList<(long Id, string Reference)> Inactive, long? LastScannedId)> InactiveSinceAsync(DateTimeOffset cutoff, long afterId, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<(long Id, string Reference)>(new CommandDefinition(
            """
            SELECT s.id, s.reference FROM seeker s
            WHERE s.id > @afterId AND s.status <> 'erased'
              AND GREATEST(s.last_active_at, s.updated_at, s.created_at,
                    (SELECT max(ss.updated_at) FROM seeker_skill ss WHERE ss.seeker_id = s.id),
                    (SELECT max(m.updated_at) FROM match m WHERE m.seeker_id = s.id),
                    (SELECT max(GREATEST(c.granted_at, c.withdrawn_at)) FROM consent c WHERE c.seeker_id = s.id)) < @cutoff
            ORDER BY s.id
            LIMIT @limit
            """, new { cutoff, afterId, limit }, cancellationToken: ct))).ToList();
        if (rows.Count == 0) return ([], null);
        var written = await CaseFileQueries.WrittenSinceAsync(connection, rows.Select(r => r.Id).ToArray(), cutoff, ct);
        return (rows.Where(r => !written.Contains(r.Id)).ToList(), rows[^1].Id);
    }

    public sealed class AccessLogRow
    {
        public DateTime At { get; set; }
        public string Action { get; set; } = "";
        public string? ActorName { get; set; }
        public string? ActorRole { get; set; }
        public string? OrganisationName { get; set; }
    }
}
