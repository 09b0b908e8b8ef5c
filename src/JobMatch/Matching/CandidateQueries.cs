using Dapper;
using JobMatch.Ranking;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Candidate generation in PostgreSQL: the hard filters (consent to be matched, active, available, travel distance,
/// do-not-match rules, minimum education, congestion cap) and skill overlap through the GIN index on
/// <c>seeker.skill_ids</c>; then the survivors' profiles for in-process features and scoring.
/// Only C1 data (skills, district-level place, preferences) is read: no identity, no case file, no gender.
/// </summary>
internal sealed class CandidateQueries
{
    public sealed class VacancyRow
    {
        public long Id { get; set; }
        public Guid EmployerId { get; set; }
        public string SectorCode { get; set; } = "";
        public string UpazilaCode { get; set; } = "";
        public double? Lat { get; set; }
        public double? Lon { get; set; }
        public int? WageMinBdt { get; set; }
        public int? WageMaxBdt { get; set; }
        public string Kind { get; set; } = "wage";
        public int? MinEducationLevel { get; set; }
        public DateTime ClosingDate { get; set; }
        public int[] SkillIds { get; set; } = [];
        public string[] SkillCodes { get; set; } = [];
        public int[] MinLevels { get; set; } = [];
        public bool[] Required { get; set; } = [];
    }

    /// <summary>An open vacancy of a verified employer, with its skills; null otherwise.</summary>
    public Task<VacancyRow?> OpenVacancyAsync(NpgsqlConnection connection, long vacancyId, CancellationToken ct) =>
        VacancyAsync(connection, vacancyId, requireOpen: true, ct);

    /// <summary>A vacancy with its skills; with <paramref name="requireOpen"/>, only when open and its employer verified.</summary>
    public async Task<VacancyRow?> VacancyAsync(NpgsqlConnection connection, long vacancyId, bool requireOpen, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<VacancyRow>(new CommandDefinition(
            """
            SELECT v.id, v.employer_id, v.sector_code, v.upazila_code, v.lat, v.lon, v.wage_min_bdt, v.wage_max_bdt, v.kind,
                   v.min_education_level, v.closing_date,
                   coalesce(array_agg(vs.skill_id ORDER BY vs.skill_id) FILTER (WHERE vs.skill_id IS NOT NULL), '{}') AS skill_ids,
                   coalesce(array_agg(sk.code ORDER BY vs.skill_id) FILTER (WHERE vs.skill_id IS NOT NULL), '{}') AS skill_codes,
                   coalesce(array_agg(vs.min_level ORDER BY vs.skill_id) FILTER (WHERE vs.skill_id IS NOT NULL), '{}') AS min_levels,
                   coalesce(array_agg(vs.required ORDER BY vs.skill_id) FILTER (WHERE vs.skill_id IS NOT NULL), '{}') AS required
            FROM vacancy v
            JOIN employer e ON e.organisation_id = v.employer_id
            LEFT JOIN vacancy_skill vs ON vs.vacancy_id = v.id
            LEFT JOIN skill sk ON sk.id = vs.skill_id
            WHERE v.id = @vacancyId AND (NOT @requireOpen OR (v.status = 'open' AND e.status = 'verified'))
            GROUP BY v.id
            """, new { vacancyId, requireOpen }, cancellationToken: ct));

    /// <summary>Ids of seekers who pass every hard filter for the vacancy, most overlapping skills first.</summary>
    public async Task<long[]> CandidateIdsAsync(NpgsqlConnection connection, VacancyRow vacancy, MatchingOptions options, CancellationToken ct)
    {
        if (vacancy.SkillIds.Length == 0) return [];
        var ids = await connection.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT id FROM ({CandidatePool}) pool ORDER BY overlap DESC, id
            """, PoolParameters(vacancy, options), cancellationToken: ct));
        return ids.ToArray();
    }

    /// <summary>
    /// The candidate pool with its ranking profiles, most overlapping skills first, in ONE round trip: serving and
    /// the nightly re-match used to pay one for the ids, then two more for the profiles and their skills.
    /// </summary>
    public async Task<IReadOnlyList<(CandidateRow Row, SeekerProfile Profile)>> CandidateProfilesAsync(
        NpgsqlConnection connection, VacancyRow vacancy, MatchingOptions options, DateTimeOffset now, CancellationToken ct)
    {
        if (vacancy.SkillIds.Length == 0) return [];
        var rows = await connection.QueryAsync<CandidateRow>(new CommandDefinition(
            $"""
            WITH pool AS MATERIALIZED ({CandidatePool})
            {ProfileSelect}
            ORDER BY pool.overlap DESC, s.id
            """, PoolParameters(vacancy, options), cancellationToken: ct));
        return rows.Select(r => (r, ProfileOf(r, now))).ToList();
    }

    /// <summary>
    /// Every hard filter; the overlap is counted per row with = ANY over the (distinct) vacancy skills, which gives
    /// the same number as the former ARRAY(... INTERSECT ...) without building and hashing two sets per seeker.
    /// The congestion cap is one grouped pass over the open matches (a hashed NOT IN), not a sub-query per seeker.
    /// </summary>
    private const string CandidatePool = """
        SELECT s.id, (SELECT count(*) FROM unnest(s.skill_ids) k WHERE k = ANY (@skillIds)) AS overlap
        FROM seeker s
        JOIN matchable_seeker ms ON ms.seeker_id = s.id
        LEFT JOIN upazila u ON u.code = s.upazila_code
        WHERE s.status = 'active'
          AND s.skill_ids && @skillIds
          AND NOT (@sector = ANY (coalesce(s.blocked_sectors, '{}')))
          AND NOT (@employerId = ANY (coalesce(s.blocked_employer_ids, '{}')))
          AND NOT (@upazila = ANY (coalesce(s.blocked_upazilas, '{}')))
          AND (s.available_from IS NULL OR s.available_from <= @closingDate)
          AND (@minEducation::int IS NULL OR s.education_level >= @minEducation)
          AND (s.max_travel_km IS NULL OR u.lat IS NULL OR @lat::float8 IS NULL OR
               2 * 6371 * asin(sqrt(power(sin(radians(@lat - u.lat) / 2), 2)
                   + cos(radians(u.lat)) * cos(radians(@lat)) * power(sin(radians(@lon - u.lon) / 2), 2))) <= s.max_travel_km)
          AND (SELECT count(*) FROM match m
               WHERE m.seeker_id = s.id AND m.status = ANY (@open) AND m.vacancy_id <> @vacancyId) < @cap
        ORDER BY overlap DESC, s.id
        LIMIT @pool
        """;

    private static object PoolParameters(VacancyRow vacancy, MatchingOptions options) => new
    {
        skillIds = vacancy.SkillIds, sector = vacancy.SectorCode, employerId = vacancy.EmployerId, upazila = vacancy.UpazilaCode,
        closingDate = vacancy.ClosingDate, minEducation = vacancy.MinEducationLevel, lat = vacancy.Lat, lon = vacancy.Lon,
        open = MatchStatus.Open, vacancyId = vacancy.Id, cap = options.MaxOpenProposalsPerSeeker, pool = options.CandidatePool,
    };

    public sealed class CandidateRow
    {
        public long Id { get; set; }
        public string Reference { get; set; } = "";
        public double? Lat { get; set; }
        public double? Lon { get; set; }
        public int? EducationLevel { get; set; }
        public int? ExpectedWageBdt { get; set; }
        public string? Wants { get; set; }
        public string[]? PreferredSectors { get; set; }
        public int? MaxTravelKm { get; set; }
        public bool RequiresReview { get; set; }
        public DateTime? LastTrainedOn { get; set; }
        public string[]? SkillCodes { get; set; }
        public int[]? SkillLevels { get; set; }
        public bool[]? SkillCertified { get; set; }
        public int[]? SkillMonths { get; set; }
    }

    /// <summary>One row per seeker of the CTE <c>pool</c>, their skills aggregated into arrays (ordered by code).</summary>
    private const string ProfileSelect = """
        SELECT s.id, s.reference, u.lat, u.lon, s.education_level, s.expected_wage_bdt, s.wants, s.preferred_sectors, s.max_travel_km,
               coalesce(o.requires_match_review, true) AS requires_review,
               k.last_trained_on, k.skill_codes, k.skill_levels, k.skill_certified, k.skill_months
        FROM pool
        JOIN seeker s ON s.id = pool.id
        LEFT JOIN upazila u ON u.code = s.upazila_code
        LEFT JOIN organisation o ON o.id = s.agency_id
        CROSS JOIN LATERAL (
            SELECT max(ss.certified_on) AS last_trained_on,
                   array_agg(sk.code ORDER BY sk.code) AS skill_codes,
                   array_agg(ss.level ORDER BY sk.code) AS skill_levels,
                   array_agg(ss.source = 'certified' ORDER BY sk.code) AS skill_certified,
                   array_agg(coalesce(ss.months_experience, 0) ORDER BY sk.code) AS skill_months
            FROM seeker_skill ss JOIN skill sk ON sk.id = ss.skill_id
            WHERE ss.seeker_id = s.id) k
        """;

    /// <summary>Ranking profiles of the given seekers, in the given order (district-level location: the upazila's centroid).</summary>
    public async Task<IReadOnlyList<(CandidateRow Row, SeekerProfile Profile)>> ProfilesAsync(NpgsqlConnection connection, long[] ids, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Length == 0) return [];
        var byId = (await connection.QueryAsync<CandidateRow>(new CommandDefinition(
            $"""
            WITH pool AS (SELECT DISTINCT id FROM unnest(@ids) AS x(id))
            {ProfileSelect}
            """, new { ids }, cancellationToken: ct))).ToDictionary(r => r.Id);
        return ids.Where(byId.ContainsKey).Select(id => (byId[id], ProfileOf(byId[id], now))).ToList();
    }

    private static SeekerProfile ProfileOf(CandidateRow r, DateTimeOffset now)
    {
        var codes = r.SkillCodes ?? [];
        var holdings = new List<SkillHolding>(codes.Length);
        // Null arrays: a seeker without skills (array_agg over no rows).
        for (var i = 0; i < codes.Length; i++) holdings.Add(new SkillHolding(codes[i], r.SkillLevels![i], r.SkillCertified![i], r.SkillMonths![i]));
        double? monthsSinceTraining = r.LastTrainedOn is { } trained ? Math.Max(0, (now - new DateTimeOffset(trained, TimeSpan.Zero)).TotalDays / 30.4) : null;
        return new SeekerProfile(r.Lat, r.Lon, r.EducationLevel ?? 0, r.ExpectedWageBdt, WantsOf(r.Wants),
            r.PreferredSectors ?? [], r.MaxTravelKm, holdings, monthsSinceTraining);
    }

    public static WorkKind WantsOf(string? wants) => wants switch
    {
        "wage" => WorkKind.Wage,
        "self" => WorkKind.Self,
        _ => WorkKind.Any,
    };

    public static VacancyProfile ProfileOf(VacancyRow v) => new(
        v.SectorCode, v.Lat, v.Lon, v.WageMinBdt, v.WageMaxBdt, v.Kind == "self" ? WorkKind.Self : WorkKind.Wage, v.MinEducationLevel ?? 0,
        v.SkillCodes.Select((code, i) => new SkillRequirement(code, v.MinLevels[i], v.Required[i])).ToList());
}
