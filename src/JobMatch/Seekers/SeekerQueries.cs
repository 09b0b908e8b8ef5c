using Dapper;
using JobMatch.Matching;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// Case work's reads and writes of the seeker row. Every method is scoped by the caller's agency: a seeker of
/// another agency is simply not found (404, no existence oracle).
/// </summary>
internal sealed class SeekerQueries(NpgsqlDataSource db, IMatchingTriggers matching)
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

    /// <summary>Optimistic concurrency: true when saved, false when the version was stale (409).</summary>
    public async Task<long?> UpdateProfileAsync(long seekerId, long version, SeekerProfile p, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var saved = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
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
            }, cancellationToken: ct));
        if (saved is not null) matching.SeekerChanged(seekerId);
        return saved;
    }

    public async Task<long?> UpdateRulesAsync(long seekerId, long version, DoNotMatchRules r, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var saved = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            UPDATE seeker SET blocked_sectors = @BlockedSectors, blocked_employer_ids = @BlockedEmployerIds,
                blocked_upazilas = @BlockedUpazilas, version = version + 1, updated_at = now()
            WHERE id = @seekerId AND version = @version AND status <> 'erased'
            RETURNING version
            """, new { seekerId, version, r.BlockedSectors, r.BlockedEmployerIds, r.BlockedUpazilas }, cancellationToken: ct));
        if (saved is not null) matching.SeekerChanged(seekerId);
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
