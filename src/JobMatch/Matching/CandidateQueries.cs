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
            """
            SELECT s.id
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
            ORDER BY cardinality(ARRAY(SELECT unnest(s.skill_ids) INTERSECT SELECT unnest(@skillIds))) DESC, s.id
            LIMIT @pool
            """,
            new
            {
                skillIds = vacancy.SkillIds, sector = vacancy.SectorCode, employerId = vacancy.EmployerId, upazila = vacancy.UpazilaCode,
                closingDate = vacancy.ClosingDate, minEducation = vacancy.MinEducationLevel, lat = vacancy.Lat, lon = vacancy.Lon,
                open = MatchStatus.Open, vacancyId = vacancy.Id, cap = options.MaxOpenProposalsPerSeeker, pool = options.CandidatePool,
            },
            cancellationToken: ct));
        return ids.ToArray();
    }

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

    private sealed class SkillRow
    {
        public long SeekerId { get; set; }
        public string Code { get; set; } = "";
        public int Level { get; set; }
        public bool Certified { get; set; }
        public int MonthsExperience { get; set; }
    }

    /// <summary>Ranking profiles of the given seekers (district-level location: the upazila's centroid).</summary>
    public async Task<IReadOnlyList<(CandidateRow Row, SeekerProfile Profile)>> ProfilesAsync(NpgsqlConnection connection, long[] ids, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Length == 0) return [];
        var rows = (await connection.QueryAsync<CandidateRow>(new CommandDefinition(
            """
            SELECT s.id, s.reference, u.lat, u.lon, s.education_level, s.expected_wage_bdt, s.wants, s.preferred_sectors, s.max_travel_km,
                   coalesce(o.requires_match_review, true) AS requires_review,
                   (SELECT max(ss.certified_on) FROM seeker_skill ss WHERE ss.seeker_id = s.id) AS last_trained_on
            FROM seeker s
            LEFT JOIN upazila u ON u.code = s.upazila_code
            LEFT JOIN organisation o ON o.id = s.agency_id
            WHERE s.id = ANY (@ids)
            """, new { ids }, cancellationToken: ct))).ToList();
        var skills = (await connection.QueryAsync<SkillRow>(new CommandDefinition(
            """
            SELECT ss.seeker_id, sk.code, ss.level, ss.source = 'certified' AS certified, coalesce(ss.months_experience, 0) AS months_experience
            FROM seeker_skill ss JOIN skill sk ON sk.id = ss.skill_id
            WHERE ss.seeker_id = ANY (@ids)
            """, new { ids }, cancellationToken: ct))).ToLookup(s => s.SeekerId);

        var byId = rows.ToDictionary(r => r.Id);
        return ids.Where(byId.ContainsKey).Select(id =>
        {
            var r = byId[id];
            var holdings = skills[id].Select(s => new SkillHolding(s.Code, s.Level, s.Certified, s.MonthsExperience)).ToList();
            double? monthsSinceTraining = r.LastTrainedOn is { } trained ? Math.Max(0, (now - new DateTimeOffset(trained, TimeSpan.Zero)).TotalDays / 30.4) : null;
            var profile = new SeekerProfile(r.Lat, r.Lon, r.EducationLevel ?? 0, r.ExpectedWageBdt, WantsOf(r.Wants),
                r.PreferredSectors ?? [], r.MaxTravelKm, holdings, monthsSinceTraining);
            return (r, profile);
        }).ToList();
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
