using Dapper;
using JobMatch.Audit;
using JobMatch.Csv;
using JobMatch.Web;
using Npgsql;

namespace JobMatch.Vacancies;

/// <summary>
/// Bulk import of vacancies by CSV for a chamber admin, on behalf of member employers. Every problem of every bad row
/// is reported with its line number, column, reason and the value found there; asked to commit, the import stores every row in one transaction, or
/// nothing at all when any row is bad. Rows with <c>publish</c> = yes are published under the same rules as the
/// employer's own publish button (verified employer, no recruitment fee, sector wage floor).
/// </summary>
internal sealed class VacancyImport(NpgsqlDataSource db, Taxonomy taxonomy, VacancyEvents events, AuditLog audit)
{
    public const int MaxRows = 5000;
    public const string Action = "vacancy_import";

    public static readonly string[] Columns =
    [
        "employer", "title_en", "title_bn", "description_en", "description_bn", "isco08", "sector", "upazila", "lat", "lon",
        "wage_min_bdt", "wage_max_bdt", "kind", "openings", "hours", "shifts", "facilities", "skills", "min_education_level",
        "closing_date", "publish",
    ];

    private static readonly string[] RequiredColumns = ["employer", "isco08", "sector", "upazila", "wage_min_bdt", "kind", "openings", "skills", "closing_date"];

    /// <param name="Value">The offending cell as found (one line, clipped), null where the problem has no cell. A vacancy
    /// file names no person (employers by membership number or id, jobs by title), so every column may be echoed.</param>
    public sealed record RowError(int Line, string Column, string Key, string? Arg, string? Value = null);

    /// <summary>A value is echoed up to this many characters: enough to recognise it, not a copy of the file.</summary>
    public const int MaxValueLength = 60;

    public sealed record Report(int Rows, int ValidRows, IReadOnlyList<RowError> Errors, bool Committed, int Published);

    private sealed record ParsedRow(int Line, Guid EmployerId, ValidVacancy Vacancy, bool Publish);

    private sealed class EmployerRow
    {
        public Guid OrganisationId { get; set; }
        public string? MembershipNumber { get; set; }
        public string Status { get; set; } = "";
        public bool ChargesRecruitmentFee { get; set; }
    }

    public async Task<Report> RunAsync(TextReader csv, bool commit, DateOnly today, CancellationToken ct)
    {
        var reference = await taxonomy.LoadAsync(ct);
        var employers = await LoadEmployersAsync(ct);
        var errors = new List<RowError>();
        var parsed = new List<ParsedRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string[]? header = null;
        var rows = 0;

        foreach (var record in CsvReader.Read(csv))
        {
            if (header is null)
            {
                header = record.Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
                foreach (var missing in RequiredColumns.Where(c => !header.Contains(c))) errors.Add(new RowError(record.Line, missing, "MissingColumn", missing));
                if (!header.Contains("title_en") && !header.Contains("title_bn")) errors.Add(new RowError(record.Line, "title_en", "MissingColumn", "title_en"));
                if (errors.Count > 0) return new Report(0, 0, errors, false, 0);
                continue;
            }
            if (record.Fields.All(string.IsNullOrWhiteSpace)) continue;
            if (++rows > MaxRows)
            {
                errors.Add(new RowError(record.Line, "", "TooManyRows", MaxRows.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            }
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++) cells[header[i]] = i < record.Fields.Length ? record.Fields[i] : "";
            var row = ParseRowWithValues(record.Line, cells, reference, employers, today, errors);
            if (row is null) continue;
            var key = string.Join('\u001f', row.EmployerId, row.Vacancy.TitleEn, row.Vacancy.TitleBn, row.Vacancy.UpazilaCode, row.Vacancy.ClosingDate, row.Vacancy.WageMinBdt);
            if (seen.TryGetValue(key, out var firstLine))
            {
                errors.Add(new RowError(record.Line, "", "DuplicateRow", firstLine.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                continue;
            }
            seen[key] = record.Line;
            parsed.Add(row);
        }
        if (header is null) errors.Add(new RowError(1, "", "EmptyFile", null));

        if (!commit || errors.Count > 0 || parsed.Count == 0) return new Report(rows, parsed.Count, errors, false, 0);
        var published = await CommitAsync(parsed, ct);
        return new Report(rows, parsed.Count, errors, true, published);
    }

    private ParsedRow? ParseRowWithValues(int line, Dictionary<string, string> cells, TaxonomySnapshot reference, List<EmployerRow> employers,
        DateOnly today, List<RowError> errors)
    {
        var before = errors.Count;
        var row = ParseRow(line, cells, reference, employers, today, errors, before);
        // Each problem with the value of its column, so the admin sees what to fix without opening the file.
        for (var i = before; i < errors.Count; i++)
        {
            if (errors[i].Column.Length > 0) errors[i] = errors[i] with { Value = Clip(cells.GetValueOrDefault(errors[i].Column)) };
        }
        return row;
    }

    private ParsedRow? ParseRow(int line, Dictionary<string, string> cells, TaxonomySnapshot reference, List<EmployerRow> employers,
        DateOnly today, List<RowError> errors, int before)
    {
        string Cell(string column) => cells.GetValueOrDefault(column, "");
        int? Int(string column)
        {
            if (!TextInput.TryInt(Cell(column), out var value)) errors.Add(new RowError(line, column, "NotANumber", null));
            return value;
        }

        var employerText = Cell("employer").Trim();
        var matches = employers.Where(e => e.OrganisationId.ToString() == employerText.ToLowerInvariant()
            || (e.MembershipNumber is not null && string.Equals(e.MembershipNumber, employerText, StringComparison.OrdinalIgnoreCase))).ToList();
        if (employerText.Length == 0) errors.Add(new RowError(line, "employer", "Required", null));
        else if (matches.Count == 0) errors.Add(new RowError(line, "employer", "UnknownEmployer", employerText));
        else if (matches.Count > 1) errors.Add(new RowError(line, "employer", "AmbiguousEmployer", employerText));

        if (!TextInput.TryDouble(Cell("lat"), out var lat)) errors.Add(new RowError(line, "lat", "NotANumber", null));
        if (!TextInput.TryDouble(Cell("lon"), out var lon)) errors.Add(new RowError(line, "lon", "NotANumber", null));
        if (!TextInput.TryDate(Cell("closing_date"), out var closing)) errors.Add(new RowError(line, "closing_date", "NotADate", null));
        var publishText = Cell("publish").Trim().ToLowerInvariant();
        var publish = publishText is "yes" or "y" or "1" or "true" or "হ্যাঁ";
        if (publishText.Length > 0 && !publish && publishText is not ("no" or "n" or "0" or "false" or "না")) errors.Add(new RowError(line, "publish", "YesOrNo", null));

        var input = new VacancyInput
        {
            TitleEn = Cell("title_en"), TitleBn = Cell("title_bn"), DescriptionEn = Cell("description_en"), DescriptionBn = Cell("description_bn"),
            Isco08 = Cell("isco08"), SectorCode = Cell("sector"), UpazilaCode = Cell("upazila"), Lat = lat, Lon = lon,
            WageMinBdt = Int("wage_min_bdt"), WageMaxBdt = Int("wage_max_bdt"), Kind = Cell("kind"), Openings = Int("openings"),
            Hours = Cell("hours"), Shifts = Cell("shifts"), MinEducationLevel = Int("min_education_level"), ClosingDate = closing,
            Facilities = Cell("facilities").Split([';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Skills = ParseSkills(line, Cell("skills"), errors),
        };
        var fieldErrors = new FieldErrors();
        var valid = VacancyValidator.Validate(input, reference, today, fieldErrors);
        // A number or date that did not parse already has its error, and the validator saw nothing there: its "required"
        // (or, for half a location, "latitude and longitude together") would repeat it. Every other problem is kept, also
        // in a column with a problem of its own (two bad skill codes in one cell are two problems).
        var unparsed = errors.Skip(before).Where(e => e.Key is "NotANumber" or "NotADate").Select(e => e.Column is "lon" ? "lat" : e.Column).ToHashSet();
        foreach (var (field, key, arg) in fieldErrors.All)
        {
            var column = ColumnOf(field);
            if (unparsed.Contains(column)) continue;
            errors.Add(new RowError(line, column, key, arg));
        }

        if (publish && matches.Count == 1)
        {
            var employer = matches[0];
            if (PublishRules.CheckEmployer(employer.Status, employer.ChargesRecruitmentFee) is { } refused) errors.Add(new RowError(line, "publish", refused.ToString(), null));
            if (valid is not null && PublishRules.BelowFloor(valid.Kind, valid.WageMinBdt, valid.SectorCode, reference))
            {
                errors.Add(new RowError(line, "wage_min_bdt", "WageBelowFloor", PublishRules.Floor(valid.SectorCode, reference)?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        return errors.Count == before && valid is not null ? new ParsedRow(line, matches[0].OrganisationId, valid, publish) : null;
    }

    /// <summary>Skills as <c>CODE:level:required</c> separated by semicolons, e.g. <c>GAR-001:3:required;GAR-004:2:nice</c>.</summary>
    private static List<VacancySkillInput> ParseSkills(int line, string text, List<RowError> errors)
    {
        var skills = new List<VacancySkillInput>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = part.Split(':', StringSplitOptions.TrimEntries);
            var level = 1;
            if (bits.Length > 1)
            {
                if (TextInput.TryInt(bits[1], out var parsed) && parsed is { } l)
                {
                    level = l;
                }
                else
                {
                    errors.Add(new RowError(line, "skills", "SkillLevelOutOfRange", bits[0]));
                    continue;
                }
            }
            var required = bits.Length < 3 || bits[2].ToLowerInvariant() is "required" or "must" or "yes" or "1";
            skills.Add(new VacancySkillInput { Code = bits[0], MinLevel = level, Required = required });
        }
        return skills;
    }

    /// <summary>One line, at most <see cref="MaxValueLength"/> characters (a quoted CSV field may hold line breaks).</summary>
    private static string? Clip(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var line = string.Join(' ', value.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxValueLength ? line : line[..MaxValueLength] + "…";
    }

    private static string ColumnOf(string field) => field switch
    {
        "titleEn" => "title_en", "titleBn" => "title_bn", "descriptionEn" => "description_en", "descriptionBn" => "description_bn",
        "sectorCode" => "sector", "upazilaCode" => "upazila", "wageMinBdt" => "wage_min_bdt", "wageMaxBdt" => "wage_max_bdt",
        "minEducationLevel" => "min_education_level", "closingDate" => "closing_date",
        _ => field,
    };

    private async Task<List<EmployerRow>> LoadEmployersAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<EmployerRow>(new CommandDefinition(
            "SELECT organisation_id, membership_number, status, charges_recruitment_fee FROM employer", cancellationToken: ct))).ToList();
    }

    private async Task<int> CommitAsync(List<ParsedRow> rows, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var published = 0;
        foreach (var row in rows)
        {
            var id = await VacancyQueries.InsertAsync(connection, tx, row.EmployerId, row.Vacancy, ct);
            if (!row.Publish) continue;
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE vacancy SET status = 'open', published_at = now() WHERE id = @id", new { id }, tx, cancellationToken: ct));
            await events.PublishedAsync(id, row.EmployerId, connection, tx, ct);
            published++;
        }
        await audit.WriteAsync(Action, $"vacancies:{rows.Count}", ct, connection: connection, transaction: tx);
        await tx.CommitAsync(ct);
        if (published > 0) events.AfterCommit();
        return published;
    }
}
