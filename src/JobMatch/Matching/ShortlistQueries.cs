using System.Text.Json;
using Dapper;
using JobMatch.Consent;
using JobMatch.Database;
using JobMatch.MatchingContract;
using JobMatch.Seekers;
using JobMatch.Vacancies;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// An employer's candidates for one of its own vacancies, as anonymous cards built from an allow-list. Only matches
/// the one rule permits (<see cref="MatchRule"/>: the <c>employer_candidate</c> view), named by their per-vacancy
/// handle, with experience in bands and certificate years (quasi-identifiers coarsened, SECURITY.md). Contact details are added per request
/// after checking the share_contact consent: nothing here caches consent.
/// </summary>
internal sealed class ShortlistQueries(NpgsqlDataSource db, ConsentQueries consents, SeekerContact contacts, TimeProvider time)
{
    /// <summary>The caller's own vacancy, or null (another employer's vacancy is not found: 404).</summary>
    public sealed class OwnVacancy
    {
        public long Id { get; set; }
        public Guid EmployerId { get; set; }
        public string? TitleEn { get; set; }
        public string? TitleBn { get; set; }
        public string Status { get; set; } = "";
        public string EmployerStatus { get; set; } = "";
        public bool EmployerVerified => EmployerStatus == "verified";
        public ShortlistVacancy Summary => new(Id, TitleEn, TitleBn, Status);
    }

    public async Task<OwnVacancy?> OwnVacancyAsync(long vacancyId, Guid employerId, CancellationToken ct)
    {
        await using var read = await EmployerReads.BeginAsync(db, ct);
        var connection = read.Connection;
        return await connection.QuerySingleOrDefaultAsync<OwnVacancy>(new CommandDefinition(
            """
            SELECT v.id, v.employer_id, v.title_en, v.title_bn, v.status, e.status AS employer_status
            FROM vacancy v JOIN employer e ON e.organisation_id = v.employer_id
            WHERE v.id = @vacancyId AND v.employer_id = @employerId
            """, new { vacancyId, employerId }, cancellationToken: ct));
    }

    public async Task<Shortlist> ShortlistAsync(OwnVacancy vacancy, int page, int pageSize, Guid actorUserId, CancellationToken ct)
    {
        page = Math.Max(1, page);
        await using var read = await EmployerReads.BeginAsync(db, ct); // R4: as jm_employer_api, no case file or identity
        var connection = read.Connection;
        var rows = await RowsAsync(connection, vacancy.Id, null, (page - 1) * pageSize, pageSize, ct);
        var cards = await CardsAsync(connection, vacancy, rows, actorUserId, ct);
        var comparison = ShortlistComparison.Build(await VacancyQueries.SkillsAsync(connection, vacancy.Id, ct), cards);
        return new Shortlist(vacancy.Summary, cards.Select(c => c.Card).ToList(), comparison, page, pageSize, rows.FirstOrDefault()?.Total ?? 0);
    }

    /// <summary>One candidate of the vacancy by its per-vacancy handle, or null when it is not (or no longer) visible.</summary>
    public async Task<Candidate?> CandidateAsync(OwnVacancy vacancy, string handle, Guid actorUserId, CancellationToken ct)
    {
        if (CandidateHandle.Normalize(handle) is not { } normalized) return null;
        await using var read = await EmployerReads.BeginAsync(db, ct);
        var connection = read.Connection;
        var rows = await RowsAsync(connection, vacancy.Id, normalized, 0, 1, ct);
        if (rows.Count == 0) return null;
        var card = (await CardsAsync(connection, vacancy, rows, actorUserId, ct)).Single();
        var comparison = ShortlistComparison.Build(await VacancyQueries.SkillsAsync(connection, vacancy.Id, ct), [card]);
        return card with { Comparison = comparison };
    }

    /// <summary>A card with the match id the server needs to act on it (never serialised: routes use the handle).</summary>
    public sealed record Candidate(long MatchId, CandidateCard Card, Comparison? Comparison = null);

    private sealed class Row
    {
        public long MatchId { get; set; }
        public long SeekerId { get; set; }
        public string Status { get; set; } = "";
        public string Explanation { get; set; } = "{}";
        public string Handle { get; set; } = "";
        public string? UpazilaCode { get; set; }
        public string? UpazilaEn { get; set; }
        public string? UpazilaBn { get; set; }
        public int? BirthYear { get; set; }
        public DateTime? AvailableFrom { get; set; }
        public int Total { get; set; }
    }

    private sealed class SkillRow
    {
        public long SeekerId { get; set; }
        public string Code { get; set; } = "";
        public string NameEn { get; set; } = "";
        public string NameBn { get; set; } = "";
        public int Level { get; set; }
        public string Source { get; set; } = "";
        public DateTime? CertifiedOn { get; set; }
        public int MonthsExperience { get; set; }
    }

    /// <summary>
    /// The only read of an employer's candidates: it selects from the rule's view <c>employer_candidate</c> (<see cref="MatchRule"/>),
    /// so a seeker the rule forbids now is not here on the very next request, whatever state the match is in.
    /// </summary>
    private static async Task<List<Row>> RowsAsync(NpgsqlConnection connection, long vacancyId, string? handle, int offset, int limit, CancellationToken ct) =>
        (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT ec.match_id, ec.seeker_id, ec.status, m.explanation::text AS explanation, ec.handle,
                   s.upazila_code, u.name_en AS upazila_en, u.name_bn AS upazila_bn, s.birth_year, s.available_from,
                   count(*) OVER ()::int AS total
            FROM employer_candidate ec
            JOIN match m ON m.id = ec.match_id
            JOIN seeker s ON s.id = ec.seeker_id
            LEFT JOIN upazila u ON u.code = s.upazila_code
            WHERE ec.vacancy_id = @vacancyId
              AND (@handle::text IS NULL OR ec.handle = @handle)
            ORDER BY m.rank, ec.handle
            OFFSET @offset LIMIT @limit
            """,
            new { vacancyId, handle, offset, limit }, cancellationToken: ct))).ToList();

    private async Task<List<Candidate>> CardsAsync(NpgsqlConnection connection, OwnVacancy vacancy, List<Row> rows, Guid actorUserId, CancellationToken ct)
    {
        var ids = rows.Select(r => r.SeekerId).ToArray();
        var skills = (await connection.QueryAsync<SkillRow>(new CommandDefinition(
            """
            SELECT ss.seeker_id, k.code, k.name_en, k.name_bn, ss.level, ss.source, ss.certified_on, ss.months_experience
            FROM seeker_skill ss JOIN skill k ON k.id = ss.skill_id
            WHERE ss.seeker_id = ANY (@ids)
            ORDER BY ss.level DESC, k.code
            """, new { ids }, cancellationToken: ct))).ToLookup(s => s.SeekerId);
        var year = time.GetUtcNow().Year;
        var cards = new List<Candidate>();
        foreach (var r in rows)
        {
            var held = skills[r.SeekerId].Select(s => new CardSkill(s.Code, s.NameEn, s.NameBn, s.Level, s.Source, s.Source == "certified",
                s.Source == "certified" ? s.CertifiedOn?.Year : null, CandidateHandle.ExperienceBand(s.MonthsExperience))).ToList();
            var card = new CandidateCard(
                r.Handle, r.Status, held, CandidateHandle.ExperienceBand(skills[r.SeekerId].Select(s => s.MonthsExperience).DefaultIfEmpty(0).Max()),
                r.UpazilaCode is null ? null : new CardPlace(r.UpazilaCode, r.UpazilaEn ?? r.UpazilaCode, r.UpazilaBn ?? r.UpazilaCode),
                AgeBand(r.BirthYear, year), r.AvailableFrom is { } a ? DateOnly.FromDateTime(a) : null,
                ExplanationOf(r.Explanation), await ContactAsync(r, vacancy, actorUserId, ct));
            cards.Add(new Candidate(r.MatchId, card));
        }
        return cards;
    }

    /// <summary>Name and phone only after acceptance and only while the consent for this employer and vacancy is active (read now).</summary>
    private async Task<CardContact?> ContactAsync(Row r, OwnVacancy vacancy, Guid actorUserId, CancellationToken ct)
    {
        if (!MatchStatus.ContactMayShow.Contains(r.Status)) return null;
        if (!await consents.HasContactConsentAsync(r.SeekerId, vacancy.EmployerId, vacancy.Id, ct)) return null;
        var details = await contacts.ReadAsync(r.SeekerId, "employer_disclosure", ct, actorUserId);
        return details is null ? null : new CardContact(details.FullName, details.Phone);
    }

    public static readonly string[] AgeBands = ["under-18", "18-24", "25-34", "35-44", "45+", "unknown"];

    /// <summary>A coarse band from the birth year only, so the card never narrows a person down to a date.</summary>
    public static string AgeBand(int? birthYear, int currentYear) => (currentYear - birthYear) switch
    {
        null => "unknown",
        < 18 => "under-18",
        < 25 => "18-24",
        < 35 => "25-34",
        < 45 => "35-44",
        _ => "45+",
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static CardExplanation ExplanationOf(string json)
    {
        var e = JsonSerializer.Deserialize<MatchExplanation>(json, Json);
        return new CardExplanation(e?.RequiredMet ?? [], e?.RequiredMissing ?? [], e?.NiceMet ?? [], e?.DistanceKm, e?.WageFit ?? "unknown",
            (e?.Reasons ?? []).Select(x => new CardReason(x.Feature, x.Direction)).ToList()) { NiceMissing = e?.NiceMissing ?? [] };
    }
}
