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
        (await VacanciesAsync(connection, [vacancyId], requireOpen, ct)).SingleOrDefault();

    /// <summary>The open vacancies of verified employers among <paramref name="vacancyIds"/>, with their skills, in one statement.</summary>
    public Task<IReadOnlyList<VacancyRow>> OpenVacanciesAsync(NpgsqlConnection connection, long[] vacancyIds, CancellationToken ct) =>
        VacanciesAsync(connection, vacancyIds, requireOpen: true, ct);

    private static async Task<IReadOnlyList<VacancyRow>> VacanciesAsync(NpgsqlConnection connection, long[] vacancyIds, bool requireOpen, CancellationToken ct) =>
        (await connection.QueryAsync<VacancyRow>(new CommandDefinition(
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
            WHERE v.id = ANY (@vacancyIds) AND (NOT @requireOpen OR (v.status = 'open' AND e.status = 'verified'))
            GROUP BY v.id
            ORDER BY v.id
            """, new { vacancyIds, requireOpen }, cancellationToken: ct))).ToList();

    /// <summary>Ids of seekers who pass every hard filter for the vacancy, most overlapping skills first.</summary>
    public async Task<long[]> CandidateIdsAsync(NpgsqlConnection connection, VacancyRow vacancy, MatchingOptions options, CancellationToken ct)
    {
        if (vacancy.SkillIds.Length == 0) return [];
        var ids = await connection.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT id FROM ({Pool("@")}) pool ORDER BY overlap DESC, id
            """, PoolParameters(vacancy, options), cancellationToken: ct));
        return ids.ToArray();
    }

    /// <summary>
    /// <see cref="CandidateIdsAsync(NpgsqlConnection, VacancyRow, MatchingOptions, CancellationToken)"/> for many
    /// vacancies in ONE statement (the nightly pass): the same pool, its inputs read from the vacancy tables and joined
    /// laterally, so 5,000 vacancies cost tens of round trips instead of 10,000. Vacancies without skills get no pool
    /// (as above); the caller passes only vacancies it has read as open.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, long[]>> CandidateIdsAsync(NpgsqlConnection connection, long[] vacancyIds, MatchingOptions options, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(long VacancyId, long SeekerId)>(new CommandDefinition(
            $$"""
            WITH v AS MATERIALIZED (
                SELECT v.id AS vacancy_id, v.employer_id, v.sector_code AS sector, v.upazila_code AS upazila, v.closing_date,
                       v.min_education_level AS min_education, v.lat, v.lon,
                       array_agg(vs.skill_id ORDER BY vs.skill_id) AS skill_ids,
                       coalesce(array_agg(vs.skill_id ORDER BY vs.skill_id) FILTER (WHERE vs.required), '{}') AS required_ids
                FROM vacancy v JOIN vacancy_skill vs ON vs.vacancy_id = v.id
                WHERE v.id = ANY (@vacancyIds)
                GROUP BY v.id
            )
            SELECT v.vacancy_id, p.id FROM v CROSS JOIN LATERAL ({{Pool("v.")}}) p
            ORDER BY v.vacancy_id, p.overlap DESC, p.id
            """, new { vacancyIds, open = MatchStatus.Open, cap = options.MaxOpenProposalsPerSeeker, pool = options.CandidatePool },
            cancellationToken: ct));
        return rows.GroupBy(r => r.VacancyId).ToDictionary(g => g.Key, g => g.Select(r => r.SeekerId).ToArray());
    }

    /// <summary>
    /// The candidate pool with its ranking profiles, most overlapping skills first, in ONE round trip (serving and the
    /// nightly re-match used to pay three: ids, profiles, skills). One row per skill record, the seeker's columns
    /// repeated: a plain index join, measured cheaper than aggregating each seeker's skills into arrays in SQL.
    /// </summary>
    public async Task<IReadOnlyList<(CandidateRow Row, SeekerRankingProfile Profile)>> CandidateProfilesAsync(
        NpgsqlConnection connection, VacancyRow vacancy, MatchingOptions options, DateTimeOffset now, CancellationToken ct)
    {
        if (vacancy.SkillIds.Length == 0) return [];
        var rows = await connection.QueryAsync<ProfileSkillRow>(new CommandDefinition(
            $"""
            WITH pool AS MATERIALIZED ({Pool("@")})
            {ProfileSelect}
            """, PoolParameters(vacancy, options), cancellationToken: ct));
        return Profiles(rows, now).OrderByDescending(p => p.Overlap).ThenBy(p => p.Row.Id).Select(p => (p.Row, p.Profile)).ToList();
    }

    /// <summary>The seeker columns a pool carries to <see cref="ProfileSelect"/>, read in the same pass as the filters.</summary>
    private const string PoolColumns = "s.reference, s.upazila_code, s.education_level, s.expected_wage_bdt, s.wants, s.preferred_sectors, s.max_travel_km, s.agency_id";

    /// <summary>
    /// Every hard filter; the vacancy's inputs are named <c>{p}skill_ids</c> etc.: parameters (<c>@</c>) for one
    /// vacancy, columns of a lateral row (<c>v.</c>) for many, so both are the same filters by construction.
    /// The overlap is counted per row with = ANY over the (distinct) vacancy skills, which gives
    /// the same number as the former ARRAY(... INTERSECT ...) without building and hashing two sets per seeker.
    /// The distance from the vacancy to each upazila centroid is computed once per vacancy (two sub-queries that do not
    /// depend on the seeker), then looked up per seeker by position: the former join to upazila ran as an index probe per row.
    /// A seeker whose upazila or centroid is unknown passes, as before.
    /// Consent is asked of <c>active_consent</c> directly rather than by joining the view <c>matchable_seeker</c>
    /// (status 'active' + active matching consent, both checked here): the view joined <c>seeker</c> a second time,
    /// an index probe per surviving row, and the profile read a third (EXPLAIN ANALYZE: about 40 % of the statement's
    /// time went to those probes; see tests/JobMatch.Benchmarks/README.md). The seeker's profile columns travel with
    /// the pool for the same reason.
    /// </summary>
    private static string Pool(string p) => $$"""
        SELECT s.id, (SELECT count(*) FROM unnest(s.skill_ids) k WHERE k = ANY ({{p}}skill_ids)) AS overlap, {{PoolColumns}}
        FROM seeker s
        WHERE s.status = 'active'
          AND s.skill_ids && {{p}}skill_ids
          AND s.skill_ids @> {{p}}required_ids
          AND NOT ({{p}}sector = ANY (coalesce(s.blocked_sectors, '{}')))
          AND NOT ({{p}}employer_id = ANY (coalesce(s.blocked_employer_ids, '{}')))
          AND NOT ({{p}}upazila = ANY (coalesce(s.blocked_upazilas, '{}')))
          AND (s.available_from IS NULL OR s.available_from <= {{p}}closing_date)
          AND ({{p}}min_education::int IS NULL OR s.education_level >= {{p}}min_education)
          AND (s.max_travel_km IS NULL OR {{p}}lat::float8 IS NULL OR coalesce(
                (SELECT array_agg(2 * 6371 * asin(sqrt(power(sin(radians({{p}}lat - u.lat) / 2), 2)
                     + cos(radians(u.lat)) * cos(radians({{p}}lat)) * power(sin(radians({{p}}lon - u.lon) / 2), 2))) ORDER BY u.code) FROM upazila u)
                  [array_position((SELECT array_agg(u.code ORDER BY u.code) FROM upazila u), s.upazila_code)] <= s.max_travel_km, true))
          AND EXISTS (SELECT 1 FROM active_consent c WHERE c.seeker_id = s.id AND c.purpose = 'matching')
          AND (SELECT count(*) FROM match m
               WHERE m.seeker_id = s.id AND m.status = ANY (@open) AND m.vacancy_id <> {{p}}vacancy_id) < @cap
        ORDER BY overlap DESC, s.id
        LIMIT @pool
        """;

    private static object PoolParameters(VacancyRow vacancy, MatchingOptions options) => new
    {
        skill_ids = vacancy.SkillIds, required_ids = vacancy.SkillIds.Where((_, i) => vacancy.Required[i]).ToArray(), sector = vacancy.SectorCode,
        employer_id = vacancy.EmployerId, upazila = vacancy.UpazilaCode, closing_date = vacancy.ClosingDate, min_education = vacancy.MinEducationLevel,
        lat = vacancy.Lat, lon = vacancy.Lon, open = MatchStatus.Open, vacancy_id = vacancy.Id, cap = options.MaxOpenProposalsPerSeeker, pool = options.CandidatePool,
    };

    public class CandidateRow
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

    /// <summary>A candidate's columns with one of its skills (the queries select no last_trained_on: it is folded from the skills).</summary>
    private sealed class ProfileSkillRow : CandidateRow
    {
        public long Overlap { get; set; }
        public string? Code { get; set; }
        public int Level { get; set; }
        public bool Certified { get; set; }
        public int MonthsExperience { get; set; }
        public DateTime? CertifiedOn { get; set; }
    }

    /// <summary>
    /// The seekers of the CTE <c>pool</c> (id, overlap and <see cref="PoolColumns"/>), one row per skill record (a seeker
    /// without any: one row, skill columns null).
    /// </summary>
    private const string ProfileSelect = """
        SELECT pool.id, pool.overlap, pool.reference, u.lat, u.lon, pool.education_level, pool.expected_wage_bdt, pool.wants, pool.preferred_sectors,
               pool.max_travel_km, coalesce(o.requires_match_review, true) AS requires_review,
               sk.code, ss.level, ss.source = 'certified' AS certified, coalesce(ss.months_experience, 0) AS months_experience, ss.certified_on
        FROM pool
        LEFT JOIN upazila u ON u.code = pool.upazila_code
        LEFT JOIN organisation o ON o.id = pool.agency_id
        LEFT JOIN seeker_skill ss ON ss.seeker_id = pool.id
        LEFT JOIN skill sk ON sk.id = ss.skill_id
        """;

    /// <summary>Ranking profiles of the given seekers, in the given order (district-level location: the upazila's centroid).</summary>
    public async Task<IReadOnlyList<(CandidateRow Row, SeekerRankingProfile Profile)>> ProfilesAsync(NpgsqlConnection connection, long[] ids, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Length == 0) return [];
        var rows = await connection.QueryAsync<ProfileSkillRow>(new CommandDefinition(
            $"""
            WITH pool AS (SELECT s.id, 0::bigint AS overlap, {PoolColumns} FROM seeker s WHERE s.id = ANY (@ids))
            {ProfileSelect}
            """, new { ids }, cancellationToken: ct));
        var byId = Profiles(rows, now).ToDictionary(p => p.Row.Id);
        return ids.Where(byId.ContainsKey).Select(id => (byId[id].Row, byId[id].Profile)).ToList();
    }

    /// <summary>Folds the per-skill rows back into one profile per seeker.</summary>
    private static IEnumerable<(CandidateRow Row, SeekerRankingProfile Profile, long Overlap)> Profiles(IEnumerable<ProfileSkillRow> rows, DateTimeOffset now) =>
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
            var profile = new SeekerRankingProfile(row.Lat, row.Lon, row.EducationLevel ?? 0, row.ExpectedWageBdt, WantsOf(row.Wants),
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
