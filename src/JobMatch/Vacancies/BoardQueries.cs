using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;

namespace JobMatch.Vacancies;

/// <summary>
/// The public job board: open vacancies of verified employers (that charge no recruitment fee) whose closing date
/// has not passed. Only vacancy and employer-name fields are selected: nothing about candidates or job seekers.
/// </summary>
/// <remarks>
/// Text search uses pg_trgm (<c>ILIKE '%word%'</c> on one generated column of both languages, GIN trigram index),
/// not full-text search with the <c>simple</c> configuration, because:
/// (1) Bangla words take suffixes (দর্জি, দর্জির, দর্জিদের); a substring match finds them all, where <c>simple</c>
///     only matches whole tokens and has no Bangla stemmer;
/// (2) the full-text parser splits words by the server locale's idea of a letter, which for Bangla vowel signs and
///     the virama depends on the cluster's locale; ILIKE's result does not (the index only speeds it up, the heap
///     recheck decides), so search behaves the same on every server;
/// (3) English partial words ("tailor" finds "tailoring") and one index for both languages come for free.
/// Each word of the query must occur (AND); at most five words are used.
/// </remarks>
internal sealed class BoardQueries(NpgsqlDataSource db)
{
    public const int PageSize = 20;

    /// <summary>The deepest page read from the database (10,000 vacancies); deeper pages answer empty.</summary>
    private const int MaxPage = 500;
    public const int MaxTerms = 5;

    /// <summary>How long the total of one filter is reused: the list itself is always read fresh.</summary>
    private static readonly long TotalMaxAgeMs = 10_000;
    private const int MaxCachedTotals = 1_000;
    private readonly ConcurrentDictionary<string, (long Total, long AtMs)> _totals = new(StringComparer.Ordinal);

    /// <summary>
    /// One page, read through the (published_at DESC) index and stopped after PageSize + 1 rows. The total is counted
    /// separately and only when the first page is full, and reused for ten seconds per filter: the former
    /// <c>count(*) OVER ()</c> made every page view join, count and sort every open vacancy (5,000 in the benchmark),
    /// which capped the public board at a few dozen requests per second on two cores.
    /// </summary>
    public async Task<BoardPage> SearchAsync(BoardFilter filter, DateOnly today, CancellationToken ct)
    {
        var terms = Terms(filter.Q);
        var page = Math.Max(filter.Page ?? 1, 1);
        var args = new DynamicParameters(new
        {
            today, sector = Blank(filter.Sector), upazila = Blank(filter.Upazila), kind = Blank(filter.Kind), minWage = filter.MinWage,
            t0 = terms.ElementAtOrDefault(0), t1 = terms.ElementAtOrDefault(1), t2 = terms.ElementAtOrDefault(2),
            t3 = terms.ElementAtOrDefault(3), t4 = terms.ElementAtOrDefault(4),
        });
        await using var connection = await db.OpenConnectionAsync(ct);
        if (page > MaxPage)
        {
            // Deep pages are not read (OFFSET would walk the whole index); past the end is an empty page, rightly counted.
            return new BoardPage([], await TotalAsync(connection, args, today, filter, terms, ct), page, PageSize, false);
        }
        args.Add("limit", PageSize + 1);
        args.Add("offset", (page - 1) * PageSize);
        var rows = (await connection.QueryAsync<BoardItem>(new CommandDefinition(
            $"""
            SELECT v.id, v.title_en, v.title_bn, o.name AS employer_name, o.membership, v.sector_code, v.upazila_code,
                   v.wage_min_bdt, v.wage_max_bdt, v.kind, v.openings, v.facilities, v.closing_date, v.published_at
            {BoardFrom}
            ORDER BY v.published_at DESC, v.id DESC
            LIMIT @limit OFFSET @offset
            """, args, cancellationToken: ct))).ToList();
        var hasNext = rows.Count > PageSize;
        if (hasNext) rows.RemoveAt(PageSize);
        // A short first page is the whole result: no count needed.
        var total = page == 1 && !hasNext ? rows.Count : await TotalAsync(connection, args, today, filter, terms, ct);
        // A cached total may be older than the rows just read; never report fewer than the rows seen. An empty page (past
        // the end) says nothing about how many there are.
        return new BoardPage(rows, rows.Count == 0 ? total : Math.Max(total, (page - 1) * PageSize + rows.Count), page, PageSize, hasNext);
    }

    private async Task<long> TotalAsync(NpgsqlConnection connection, DynamicParameters args, DateOnly today, BoardFilter filter,
        List<string> terms, CancellationToken ct)
    {
        var key = string.Join('\u001f', today.DayNumber, Blank(filter.Sector), Blank(filter.Upazila), Blank(filter.Kind), filter.MinWage, string.Join('\u001f', terms));
        var now = Environment.TickCount64;
        if (_totals.TryGetValue(key, out var hit) && now - hit.AtMs < TotalMaxAgeMs) return hit.Total;
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) {BoardFrom}", args, cancellationToken: ct));
        if (_totals.Count >= MaxCachedTotals) _totals.Clear();
        _totals[key] = (total, now);
        return total;
    }

    private const string BoardFrom = """
        FROM vacancy v
        JOIN employer e ON e.organisation_id = v.employer_id
        JOIN organisation o ON o.id = v.employer_id
        WHERE v.status = 'open' AND e.status = 'verified' AND NOT e.charges_recruitment_fee AND v.closing_date >= @today
          AND (@sector::text IS NULL OR v.sector_code = @sector)
          AND (@upazila::text IS NULL OR v.upazila_code = @upazila)
          AND (@kind::text IS NULL OR v.kind = @kind)
          AND (@minWage::int IS NULL OR coalesce(v.wage_max_bdt, v.wage_min_bdt) >= @minWage)
          AND (@t0::text IS NULL OR v.search_text ILIKE @t0)
          AND (@t1::text IS NULL OR v.search_text ILIKE @t1)
          AND (@t2::text IS NULL OR v.search_text ILIKE @t2)
          AND (@t3::text IS NULL OR v.search_text ILIKE @t3)
          AND (@t4::text IS NULL OR v.search_text ILIKE @t4)
        """;

    public async Task<BoardVacancy?> FindAsync(long id, DateOnly today, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var vacancy = await connection.QuerySingleOrDefaultAsync<BoardVacancy>(new CommandDefinition(
            """
            SELECT v.id, v.title_en, v.title_bn, v.description_en, v.description_bn, v.isco08, o.name AS employer_name,
                   o.membership, v.sector_code, v.upazila_code, v.lat, v.lon, v.wage_min_bdt, v.wage_max_bdt, v.kind,
                   v.openings, v.hours, v.shifts, v.facilities, v.min_education_level, v.closing_date, v.published_at
            FROM vacancy v
            JOIN employer e ON e.organisation_id = v.employer_id
            JOIN organisation o ON o.id = v.employer_id
            WHERE v.id = @id AND v.status = 'open' AND e.status = 'verified' AND NOT e.charges_recruitment_fee
              AND v.closing_date >= @today
            """, new { id, today }, cancellationToken: ct));
        if (vacancy is null) return null;
        vacancy.Skills = (await VacancyQueries.SkillsAsync(connection, id, ct))
            .Select(s => new BoardSkill(s.Code, s.NameEn, s.NameBn, s.MinLevel, s.Required)).ToList();
        return vacancy;
    }

    /// <summary>Each word becomes an ILIKE pattern with LIKE's wildcards escaped, so "50%" searches for "50%".</summary>
    internal static List<string> Terms(string? q) =>
        (q ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(t => t.Length <= 50).Distinct().Take(MaxTerms)
            .Select(t => "%" + t.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%")
            .ToList();

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

internal sealed class BoardFilter
{
    public string? Q { get; set; }
    public string? Sector { get; set; }
    public string? Upazila { get; set; }
    public string? Kind { get; set; }
    public int? MinWage { get; set; }
    public int? Page { get; set; }
}

internal sealed record BoardPage(IReadOnlyList<BoardItem> Items, long Total, int Page, int PageSize, bool HasNext);

internal sealed class BoardItem
{
    public long Id { get; set; }
    public string? TitleEn { get; set; }
    public string? TitleBn { get; set; }
    public string EmployerName { get; set; } = "";
    public string Membership { get; set; } = "";
    public string SectorCode { get; set; } = "";
    public string UpazilaCode { get; set; } = "";
    public int WageMinBdt { get; set; }
    public int? WageMaxBdt { get; set; }
    public string Kind { get; set; } = "";
    public int Openings { get; set; }
    public string[] Facilities { get; set; } = [];
    [JsonIgnore] public DateTime ClosingDate { get; set; }
    [JsonPropertyName("closingDate")] public DateOnly ClosesOn => DateOnly.FromDateTime(ClosingDate);
    public DateTimeOffset PublishedAt { get; set; }
    public string? Title(bool bangla) => bangla ? TitleBn ?? TitleEn : TitleEn ?? TitleBn;
}

internal sealed class BoardVacancy
{
    public long Id { get; set; }
    public string? TitleEn { get; set; }
    public string? TitleBn { get; set; }
    public string? DescriptionEn { get; set; }
    public string? DescriptionBn { get; set; }
    public string Isco08 { get; set; } = "";
    public string EmployerName { get; set; } = "";
    public string Membership { get; set; } = "";
    public string SectorCode { get; set; } = "";
    public string UpazilaCode { get; set; } = "";
    public double Lat { get; set; }
    public double Lon { get; set; }
    public int WageMinBdt { get; set; }
    public int? WageMaxBdt { get; set; }
    public string Kind { get; set; } = "";
    public int Openings { get; set; }
    public string? Hours { get; set; }
    public string? Shifts { get; set; }
    public string[] Facilities { get; set; } = [];
    public int? MinEducationLevel { get; set; }
    [JsonIgnore] public DateTime ClosingDate { get; set; }
    [JsonPropertyName("closingDate")] public DateOnly ClosesOn => DateOnly.FromDateTime(ClosingDate);
    public DateTimeOffset PublishedAt { get; set; }
    public List<BoardSkill> Skills { get; set; } = [];
    public string? Title(bool bangla) => bangla ? TitleBn ?? TitleEn : TitleEn ?? TitleBn;
    public string? Description(bool bangla) => bangla ? DescriptionBn ?? DescriptionEn : DescriptionEn ?? DescriptionBn;
}

internal sealed record BoardSkill(string Code, string NameEn, string NameBn, int MinLevel, bool Required);
