using JobMatch.MatchingContract;
using System.Globalization;
using Dapper;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Offers as the job seeker and their case worker see them. Every read is scoped: the seeker through
/// <c>seeker.user_id</c> = the signed-in user, the case worker through <c>seeker.agency_id</c> = their agency. An
/// offer outside the scope is simply not found (404, no existence oracle). Nothing here reads identity or case data.
/// </summary>
internal sealed class OfferQueries(NpgsqlDataSource db)
{
    /// <summary>Who is asking: exactly one of the two is set.</summary>
    public sealed record Scope(Guid? SeekerUserId, Guid? AgencyId)
    {
        public static Scope Seeker(Guid userId) => new(userId, null);
        public static Scope Agency(Guid agencyId) => new(null, agencyId);
    }

    public sealed class Offer
    {
        public long MatchId { get; set; }
        public string Status { get; set; } = "";
        public long Version { get; set; }
        public DateTime UpdatedAt { get; set; }
        public string? DeclineReason { get; set; }
        public long SeekerId { get; set; }
        public string SeekerReference { get; set; } = "";
        public long VacancyId { get; set; }
        public Guid EmployerId { get; set; }
        public string EmployerName { get; set; } = "";
        public string? TitleEn { get; set; }
        public string? TitleBn { get; set; }
        public int? WageMinBdt { get; set; }
        public int? WageMaxBdt { get; set; }
        public string? UpazilaEn { get; set; }
        public string? UpazilaBn { get; set; }
        public string? Hours { get; set; }
        /// <summary>wage, apprenticeship or self (self-employment or a cooperative place: shown as such).</summary>
        public string Kind { get; set; } = "wage";
        public string? DescriptionEn { get; set; }
        public string? DescriptionBn { get; set; }
        public string[] Facilities { get; set; } = [];
        public bool VacancyOpen { get; set; }
        /// <summary>The active share_contact consent for this employer and vacancy, if any.</summary>
        public long? ContactConsentId { get; set; }
        /// <summary>
        /// True when no SMS or e-mail reaches the seeker: they chose the case worker's relay, named a channel they have
        /// no phone or address for, or have no notifications consent. Their case worker tells them.
        /// </summary>
        public bool Relay { get; set; }

        private static bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";
        public string Title => (Bangla ? TitleBn ?? TitleEn : TitleEn ?? TitleBn) ?? "";
        public string? Place => Bangla ? UpazilaBn ?? UpazilaEn : UpazilaEn ?? UpazilaBn;
        /// <summary>The description in the reader's language, else in the other one.</summary>
        public string? Description => Bangla ? Blank(DescriptionBn) ?? Blank(DescriptionEn) : Blank(DescriptionEn) ?? Blank(DescriptionBn);
        private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
        public bool CanAnswer => Status == MatchStatus.Invited && VacancyOpen;
    }

    private const string Select = """
        SELECT m.id AS match_id, m.status, m.version, m.updated_at, m.decline_reason,
               s.id AS seeker_id, s.reference AS seeker_reference,
               v.id AS vacancy_id, v.employer_id, o.name AS employer_name, v.title_en, v.title_bn, v.wage_min_bdt, v.wage_max_bdt,
               u.name_en AS upazila_en, u.name_bn AS upazila_bn, v.hours, v.status = 'open' AS vacancy_open,
               v.kind, v.description_en, v.description_bn, v.facilities,
               (SELECT c.id FROM active_consent c
                WHERE c.seeker_id = s.id AND c.purpose = 'share_contact' AND c.employer_id = v.employer_id AND c.vacancy_id = v.id
                ORDER BY c.id DESC LIMIT 1) AS contact_consent_id,
               NOT EXISTS (SELECT 1 FROM active_consent n JOIN seeker_identity i ON i.seeker_id = n.seeker_id
                   WHERE n.seeker_id = s.id AND n.purpose = 'notifications'
                     AND (('sms' = ANY (n.channels) AND i.phone IS NOT NULL) OR ('email' = ANY (n.channels) AND i.email IS NOT NULL))) AS relay
        FROM match m
        JOIN seeker s ON s.id = m.seeker_id
        JOIN vacancy v ON v.id = m.vacancy_id
        JOIN organisation o ON o.id = v.employer_id
        LEFT JOIN upazila u ON u.code = v.upazila_code
        WHERE s.status <> 'erased'
        """;

    // Constant SQL fragments chosen by the scope (never built from input).
    private const string BySeekerUser = " AND s.user_id = @SeekerUserId";
    private const string ByAgency = " AND s.agency_id = @AgencyId";

    /// <summary>
    /// What a seeker sees: only matches that reached the invitation (a proposal the employer never acted on is not
    /// an offer). Open ones always; closed ones (declined, hired, not selected, withdrawn) for 90 days.
    /// </summary>
    private const string SeekerVisible = """
         AND (m.status IN ('invited', 'accepted', 'interviewed', 'declined', 'hired')
              OR EXISTS (SELECT 1 FROM match_event e WHERE e.match_id = m.id AND e.to_status = 'invited'))
         AND (m.status IN ('invited', 'accepted', 'interviewed') OR m.updated_at > now() - interval '90 days')
        """;

    public async Task<IReadOnlyList<Offer>> ListForSeekerAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Offer>(new CommandDefinition(
            Select + BySeekerUser + SeekerVisible + " ORDER BY (m.status = 'invited') DESC, m.updated_at DESC, m.id DESC LIMIT 100",
            Scope.Seeker(userId), cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The caseload's open proposals and offers, grouped by seeker reference.</summary>
    public async Task<IReadOnlyList<Offer>> ListOpenForAgencyAsync(Guid agencyId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Offer>(new CommandDefinition(
            Select + ByAgency + " AND m.status = ANY (@open) ORDER BY s.reference, (m.status = 'invited') DESC, m.updated_at DESC LIMIT 500",
            new { AgencyId = agencyId, open = MatchStatus.Open }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>One offer inside the scope, or null. A seeker finds only what <see cref="ListForSeekerAsync"/> could show.</summary>
    public async Task<Offer?> FindAsync(long matchId, Scope scope, CancellationToken ct)
    {
        if (scope.SeekerUserId is null == scope.AgencyId is null) throw new ArgumentException("Exactly one scope.", nameof(scope));
        var sql = Select + (scope.SeekerUserId is not null ? BySeekerUser + SeekerVisible : ByAgency) + " AND m.id = @matchId";
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Offer>(new CommandDefinition(
            sql, new { scope.SeekerUserId, scope.AgencyId, matchId }, cancellationToken: ct));
    }

    /// <summary>
    /// An offer of the seeker given by id, for an answer by SMS: the sender was matched to the seeker through the
    /// phone's blind index and the offer's code, not through a sign-in, so the scope is the seeker itself.
    /// </summary>
    public async Task<Offer?> FindForSeekerAsync(long matchId, long seekerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Offer>(new CommandDefinition(
            Select + " AND s.id = @seekerId AND m.id = @matchId", new { seekerId, matchId }, cancellationToken: ct));
    }
}
