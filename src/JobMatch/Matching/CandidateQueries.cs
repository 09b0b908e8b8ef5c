using Dapper;
using JobMatch.MatchingContract;
using JobMatch.Ranking;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Candidate generation in PostgreSQL: the hard filters (consent to be matched, active, available, travel distance,
/// do-not-match rules, every must-have skill held, minimum education, congestion cap) and skill overlap through the GIN index on
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
    /// The candidate pool with its ranking profiles, most overlapping skills first, in ONE round trip (serving and the
    /// nightly re-match used to pay three: ids, profiles, skills). One row per skill record, the seeker's columns
    /// repeated: a plain index join, measured cheaper than aggregating each seeker's skills into arrays in SQL.
    /// </summary>
    public async Task<IReadOnlyList<(CandidateRow Row, SeekerProfile Profile)>> CandidateProfilesAsync(
        NpgsqlConnection connection, VacancyRow vacancy, MatchingOptions options, DateTimeOffset now, CancellationToken ct)
    {
        if (vacancy.SkillIds.Length == 0) return [];
        var rows = await connection.QueryAsync<ProfileSkillRow>(new CommandDefinition(
            $"""
            WITH pool AS MATERIALIZED ({CandidatePool})
            {ProfileSelect}
            """, PoolParameters(vacancy, options), cancellationToken: ct));
        return Profiles(rows, now).OrderByDescending(p => p.Overlap).ThenBy(p => p.Row.Id).Select(p => (p.Row, p.Profile)).ToList();
    }

    /// <summary>
    /// Every hard filter; the overlap is counted per row with = ANY over the (distinct) vacancy skills, which gives
    /// the same number as the former ARRAY(... INTERSECT ...) without building and hashing two sets per seeker.
    /// The distance from the vacancy to each upazila centroid is computed once per query (two uncorrelated sub-queries,
    /// evaluated once), then looked up per seeker by position: the former join to upazila ran as an index probe per row.
    /// A seeker whose upazila or centroid is unknown passes, as before.
    /// </summary>
    private const string CandidatePool = """
        SELECT s.id, (SELECT count(*) FROM unnest(s.skill_ids) k WHERE k = ANY (@skillIds)) AS overlap
        FROM seeker s
        JOIN matchable_seeker ms ON ms.seeker_id = s.id
        WHERE s.status = 'active'
          AND s.skill_ids && @skillIds
          AND s.skill_ids @> @requiredIds
          AND NOT (@sector = ANY (coalesce(s.blocked_sectors, '{}')))
          AND NOT (@employerId = ANY (coalesce(s.blocked_employer_ids, '{}')))
          AND NOT (@upazila = ANY (coalesce(s.blocked_upazilas, '{}')))
          AND (s.available_from IS NULL OR s.available_from <= @closingDate)
          AND (@minEducation::int IS NULL OR s.education_level >= @minEducation)
          AND (s.max_travel_km IS NULL OR @lat::float8 IS NULL OR coalesce(
                (SELECT array_agg(2 * 6371 * asin(sqrt(power(sin(radians(@lat - u.lat) / 2), 2)
                     + cos(radians(u.lat)) * cos(radians(@lat)) * power(sin(radians(@lon - u.lon) / 2), 2))) ORDER BY u.code) FROM upazila u)
                  [array_position((SELECT array_agg(u.code ORDER BY u.code) FROM upazila u), s.upazila_code)] <= s.max_travel_km, true))
          AND (SELECT count(*) FROM match m
               WHERE m.seeker_id = s.id AND m.status = ANY (@open) AND m.vacancy_id <> @vacancyId) < @cap
        ORDER BY overlap DESC, s.id
        LIMIT @pool
        """;

    private static object PoolParameters(VacancyRow vacancy, MatchingOptions options) => new
    {
        skillIds = vacancy.SkillIds, requiredIds = vacancy.SkillIds.Where((_, i) => vacancy.Required[i]).ToArray(), sector = vacancy.SectorCode, employerId = vacancy.EmployerId, upazila = vacancy.UpazilaCode,
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
    }

    private sealed class ProfileSkillRow
    {
        public long Id { get; set; }
        public long Overlap { get; set; }
        public string Reference { get; set; } = "";
        public double? Lat { get; set; }
        public double? Lon { get; set; }
        public int? EducationLevel { get; set; }
        public int? ExpectedWageBdt { get; set; }
        public string? Wants { get; set; }
        public string[]? PreferredSectors { get; set; }
        public int? MaxTravelKm { get; set; }
        public bool RequiresReview { get; set; }
        public string? Code { get; set; }
        public int Level { get; set; }
        public bool Certified { get; set; }
        public int MonthsExperience { get; set; }
        public DateTime? CertifiedOn { get; set; }
    }

    /// <summary>The seekers of the CTE <c>pool</c>, one row per skill record (a seeker without any: one row, skill columns null).</summary>
    private const string ProfileSelect = """
        SELECT s.id, pool.overlap, s.reference, u.lat, u.lon, s.education_level, s.expected_wage_bdt, s.wants, s.preferred_sectors,
               s.max_travel_km, coalesce(o.requires_match_review, true) AS requires_review,
               sk.code, ss.level, ss.source = 'certified' AS certified, coalesce(ss.months_experience, 0) AS months_experience, ss.certified_on
        FROM pool
        JOIN seeker s ON s.id = pool.id
        LEFT JOIN upazila u ON u.code = s.upazila_code
        LEFT JOIN organisation o ON o.id = s.agency_id
        LEFT JOIN seeker_skill ss ON ss.seeker_id = s.id
        LEFT JOIN skill sk ON sk.id = ss.skill_id
        """;

    /// <summary>Ranking profiles of the given seekers, in the given order (district-level location: the upazila's centroid).</summary>
    public async Task<IReadOnlyList<(CandidateRow Row, SeekerProfile Profile)>> ProfilesAsync(NpgsqlConnection connection, long[] ids, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Length == 0) return [];
        var rows = await connection.QueryAsync<ProfileSkillRow>(new CommandDefinition(
            $"""
            WITH pool AS (SELECT DISTINCT id, 0::bigint AS overlap FROM unnest(@ids) AS x(id))
            {ProfileSelect}
            """, new { ids }, cancellationToken: ct));
        var byId = Profiles(rows, now).ToDictionary(p => p.Row.Id);
        return ids.Where(byId.ContainsKey).Select(id => (byId[id].Row, byId[id].Profile)).ToList();
    }

    /// <summary>Folds the per-skill rows back into one profile per seeker.</summary>
    private static IEnumerable<(CandidateRow Row, SeekerProfile Profile, long Overlap)> Profiles(IEnumerable<ProfileSkillRow> rows, DateTimeOffset now) =>
        rows.GroupBy(r => r.Id).Select(g =>
        {
            var r = g.First();
            var row = new CandidateRow
            {
                Id = r.Id, Reference = r.Reference, Lat = r.Lat, Lon = r.Lon, EducationLevel = r.EducationLevel, ExpectedWageBdt = r.ExpectedWageBdt,
                Wants = r.Wants, PreferredSectors = r.PreferredSectors, MaxTravelKm = r.MaxTravelKm, RequiresReview = r.RequiresReview,
                LastTrainedOn = g.Max(x => x.CertifiedOn),
            };
            var holdings = g.Where(x => x.Code is not null).Select(x => new SkillHolding(x.Code!, x.Level, x.Certified, x.MonthsExperience)).ToList();
            double? monthsSinceTraining = row.LastTrainedOn is { } trained ? Math.Max(0, (now - new DateTimeOffset(trained, TimeSpan.Zero)).TotalDays / 30.4) : null;
            var profile = new SeekerProfile(row.Lat, row.Lon, row.EducationLevel ?? 0, row.ExpectedWageBdt, WantsOf(row.Wants),
                row.PreferredSectors ?? [], row.MaxTravelKm, holdings, monthsSinceTraining);
            return (row, profile, r.Overlap);
        });

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
