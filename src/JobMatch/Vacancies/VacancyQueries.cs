using JobMatch.Database;
using Dapper;
using Npgsql;

namespace JobMatch.Vacancies;

/// <summary>What became of an edit (<see cref="VacancyLifecycle.EditAsync"/>); Invalid: the reasons are in its field errors.</summary>
internal enum UpdateResult { Saved, NotFound, Conflict, NotEditable, Invalid }

/// <summary>
/// An employer's own vacancies. Every statement is scoped by <c>employer_id</c>: another employer's vacancy is
/// simply not found (404, no existence oracle).
/// </summary>
internal sealed class VacancyQueries(NpgsqlDataSource db, VacancyEvents events, BoardCache board)
{
    public async Task<IReadOnlyList<VacancyRecord>> ListForEmployerAsync(Guid employerId, CancellationToken ct)
    {
        await using var read = await EmployerReads.BeginAsync(db, ct); // R4: as jm_employer_api
        var connection = read.Connection;
        var rows = await connection.QueryAsync<VacancyRecord>(new CommandDefinition(
            """
            SELECT v.id, v.employer_id, v.title_en, v.title_bn, v.description_en, v.description_bn, v.isco08, v.sector_code,
                   v.upazila_code, v.lat, v.lon, v.wage_min_bdt, v.wage_max_bdt, v.kind, v.openings, v.hours, v.shifts, v.facilities,
                   v.min_education_level, v.closing_date, v.status, v.published_at, v.closed_at, v.version, v.created_at, v.updated_at
            FROM vacancy v WHERE v.employer_id = @employerId
            ORDER BY CASE v.status WHEN 'open' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, v.updated_at DESC
            LIMIT 500
            """, new { employerId }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<VacancyRecord?> FindForEmployerAsync(long id, Guid employerId, CancellationToken ct)
    {
        await using var read = await EmployerReads.BeginAsync(db, ct);
        var connection = read.Connection;
        var vacancy = await connection.QuerySingleOrDefaultAsync<VacancyRecord>(new CommandDefinition(
            """
            SELECT v.id, v.employer_id, v.title_en, v.title_bn, v.description_en, v.description_bn, v.isco08, v.sector_code,
                   v.upazila_code, v.lat, v.lon, v.wage_min_bdt, v.wage_max_bdt, v.kind, v.openings, v.hours, v.shifts, v.facilities,
                   v.min_education_level, v.closing_date, v.status, v.published_at, v.closed_at, v.version, v.created_at, v.updated_at
            FROM vacancy v WHERE v.id = @id AND v.employer_id = @employerId
            """,
            new { id, employerId }, cancellationToken: ct));
        if (vacancy is not null) vacancy.Skills = await SkillsAsync(connection, id, ct);
        return vacancy;
    }

    internal static async Task<List<VacancySkillRecord>> SkillsAsync(NpgsqlConnection connection, long vacancyId, CancellationToken ct) =>
        (await connection.QueryAsync<VacancySkillRecord>(new CommandDefinition(
            """
            SELECT vs.vacancy_id, vs.skill_id, s.code, s.name_en, s.name_bn, vs.min_level, vs.required
            FROM vacancy_skill vs JOIN skill s ON s.id = vs.skill_id
            WHERE vs.vacancy_id = @vacancyId
            ORDER BY vs.required DESC, s.code
            """, new { vacancyId }, cancellationToken: ct))).ToList();

    /// <summary>
    /// Creates a draft (an employer organisation without details gets a pending employer row first). With an
    /// <paramref name="idempotencyKey"/> (the client's Idempotency-Key header) a repeated request returns the draft
    /// the first one created (<c>Created</c> false) instead of making a second one.
    /// </summary>
    public async Task<(long Id, bool Created)> CreateDraftAsync(Guid employerId, ValidVacancy v, CancellationToken ct, string? idempotencyKey = null)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await EnsureEmployerRowAsync(connection, tx, employerId, ct);
        if (idempotencyKey is not null)
        {
            // Requests with one key queue here: the second finds the first's committed draft instead of failing on the
            // unique index (which stays the backstop).
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(hashtext('vacancy_create'), hashtext(@scope))",
                new { scope = employerId.ToString("N") + idempotencyKey }, tx, cancellationToken: ct));
            var existing = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM vacancy WHERE employer_id = @employerId AND idempotency_key = @idempotencyKey",
                new { employerId, idempotencyKey }, tx, cancellationToken: ct));
            if (existing is { } found)
            {
                await tx.CommitAsync(ct);
                return (found, false);
            }
        }
        var id = await InsertAsync(connection, tx, employerId, v, ct);
        if (idempotencyKey is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE vacancy SET idempotency_key = @idempotencyKey WHERE id = @id",
                new { id, idempotencyKey }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return (id, true);
    }

    /// <summary>Inserts a draft with its skills inside the caller's transaction.</summary>
    internal static async Task<long> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid employerId, ValidVacancy v, CancellationToken ct)
    {
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO vacancy (employer_id, title_en, title_bn, description_en, description_bn, isco08, sector_code, upazila_code,
                lat, lon, wage_min_bdt, wage_max_bdt, kind, openings, hours, shifts, facilities, min_education_level, closing_date)
            VALUES (@employerId, @TitleEn, @TitleBn, @DescriptionEn, @DescriptionBn, @Isco08, @SectorCode, @UpazilaCode,
                @Lat, @Lon, @WageMinBdt, @WageMaxBdt, @Kind, @Openings, @Hours, @Shifts, @Facilities, @MinEducationLevel, @ClosingDate)
            RETURNING id
            """, Parameters(v, new { employerId }), tx, cancellationToken: ct));
        await InsertSkillsAsync(connection, tx, id, v.Skills, ct);
        return id;
    }

    /// <summary>
    /// Saves an edit made from <paramref name="version"/>; a stale version changes nothing (409). Drafts and open
    /// vacancies can be edited; filled and closed ones are kept as they were (copy them instead).
    /// </summary>
    public async Task<(UpdateResult Result, long Version)> UpdateAsync(long id, Guid employerId, ValidVacancy v, long version, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var current = await connection.QuerySingleOrDefaultAsync<(string Status, long Version)?>(new CommandDefinition(
            "SELECT status, version FROM vacancy WHERE id = @id AND employer_id = @employerId FOR UPDATE",
            new { id, employerId }, tx, cancellationToken: ct));
        if (current is not { } row) return (UpdateResult.NotFound, 0);
        if (row.Version != version) return (UpdateResult.Conflict, row.Version);
        if (row.Status is not (VacancyStatus.Draft or VacancyStatus.Open)) return (UpdateResult.NotEditable, row.Version);

        var before = await SkillsAsync(connection, id, ct);
        var newVersion = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            UPDATE vacancy SET title_en = @TitleEn, title_bn = @TitleBn, description_en = @DescriptionEn,
                description_bn = @DescriptionBn, isco08 = @Isco08, sector_code = @SectorCode, upazila_code = @UpazilaCode,
                lat = @Lat, lon = @Lon, wage_min_bdt = @WageMinBdt, wage_max_bdt = @WageMaxBdt, kind = @Kind,
                openings = @Openings, hours = @Hours, shifts = @Shifts, facilities = @Facilities,
                min_education_level = @MinEducationLevel, closing_date = @ClosingDate,
                version = version + 1, updated_at = now()
            WHERE id = @id AND employer_id = @employerId AND version = @version
            RETURNING version
            """, Parameters(v, new { id, employerId, version }), tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM vacancy_skill WHERE vacancy_id = @id", new { id }, tx, cancellationToken: ct));
        await InsertSkillsAsync(connection, tx, id, v.Skills, ct);

        var changed = !before.Select(s => (s.SkillId, s.MinLevel, s.Required)).OrderBy(s => s.SkillId)
            .SequenceEqual(v.Skills.Select(s => (s.SkillId, s.MinLevel, s.Required)).OrderBy(s => s.SkillId));
        if (changed && row.Status == VacancyStatus.Open) await events.SkillsChangedAsync(id, employerId, connection, tx, ct);
        await tx.CommitAsync(ct);
        if (row.Status == VacancyStatus.Open) board.Changed(); // this node at once; the others by the trigger's notice
        if (changed && row.Status == VacancyStatus.Open) events.AfterCommit();
        return (UpdateResult.Saved, newVersion);
    }

    /// <summary>
    /// Copies a vacancy (any status) into a new draft of the same employer. A closing date that has passed moves
    /// to 30 days from today, so the copy is ready to edit and publish.
    /// </summary>
    public async Task<long?> CopyAsync(long id, Guid employerId, DateOnly today, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var copy = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO vacancy (employer_id, title_en, title_bn, description_en, description_bn, isco08, sector_code, upazila_code,
                lat, lon, wage_min_bdt, wage_max_bdt, kind, openings, hours, shifts, facilities, min_education_level, closing_date)
            SELECT employer_id, title_en, title_bn, description_en, description_bn, isco08, sector_code, upazila_code,
                lat, lon, wage_min_bdt, wage_max_bdt, kind, openings, hours, shifts, facilities, min_education_level,
                CASE WHEN closing_date >= @today THEN closing_date ELSE @later END
            FROM vacancy WHERE id = @id AND employer_id = @employerId
            RETURNING id
            """, new { id, employerId, today, later = today.AddDays(30) }, tx, cancellationToken: ct));
        if (copy is null) return null;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO vacancy_skill (vacancy_id, skill_id, min_level, required)
            SELECT @copy, skill_id, min_level, required FROM vacancy_skill WHERE vacancy_id = @id
            """, new { copy, id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return copy;
    }

    /// <summary>
    /// Closes every open vacancy whose closing date is before <paramref name="today"/> (Bangladesh date). Idempotent:
    /// a second run finds nothing to close. Returns how many it closed. Scheduled by the background-jobs feature.
    /// </summary>
    public async Task<int> CloseExpiredAsync(DateOnly today, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var closed = (await connection.QueryAsync<(long Id, Guid EmployerId)>(new CommandDefinition(
            """
            UPDATE vacancy SET status = 'closed', closed_at = now(), version = version + 1, updated_at = now()
            WHERE status = 'open' AND closing_date < @today
            RETURNING id, employer_id
            """, new { today }, tx, cancellationToken: ct))).ToList();
        foreach (var (vacancyId, employerId) in closed) await events.ClosedAsync(vacancyId, employerId, connection, tx, ct);
        await tx.CommitAsync(ct);
        return closed.Count;
    }

    private static async Task InsertSkillsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long vacancyId, IReadOnlyList<ValidSkill> skills, CancellationToken ct)
    {
        if (skills.Count == 0) return;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO vacancy_skill (vacancy_id, skill_id, min_level, required)
            SELECT @vacancyId, s.skill_id, s.min_level, s.required
            FROM unnest(@skillIds, @levels, @required) AS s (skill_id, min_level, required)
            """,
            new
            {
                vacancyId,
                skillIds = skills.Select(s => s.SkillId).ToArray(),
                levels = skills.Select(s => s.MinLevel).ToArray(),
                required = skills.Select(s => s.Required).ToArray(),
            }, tx, cancellationToken: ct));
    }

    private static DynamicParameters Parameters(ValidVacancy v, object extra)
    {
        var p = new DynamicParameters(extra);
        p.AddDynamicParams(new
        {
            v.TitleEn, v.TitleBn, v.DescriptionEn, v.DescriptionBn, v.Isco08, v.SectorCode, v.UpazilaCode, v.Lat, v.Lon,
            v.WageMinBdt, v.WageMaxBdt, v.Kind, v.Openings, v.Hours, v.Shifts, v.Facilities, v.MinEducationLevel, v.ClosingDate,
        });
        return p;
    }

    /// <summary>
    /// Makes sure an employer organisation has its (pending) employer row, so it can keep drafts. Written here, not
    /// in Employers, because Employers depends on Vacancies (suspension closes vacancies), not the reverse.
    /// </summary>
    private static async Task EnsureEmployerRowAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid organisationId, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO employer (organisation_id)
            SELECT id FROM organisation WHERE id = @organisationId AND kind = 'employer'
            ON CONFLICT (organisation_id) DO NOTHING
            """, new { organisationId }, tx, cancellationToken: ct));
}
