using Dapper;
using JobMatch.Web;
using Npgsql;

namespace JobMatch.Vacancies;

/// <summary>
/// Create, edit → open → filled or closed, for the employer who owns the vacancy: the one way in for each of these
/// operations, used alike by the employer's form and the API, which only translate input and answer.
/// </summary>
internal sealed class VacancyLifecycle(NpgsqlDataSource db, VacancyQueries queries, VacancyEvents events, Taxonomy taxonomy, BoardCache board)
{
    private sealed class Row
    {
        public string Status { get; set; } = "";
        public string Kind { get; set; } = "";
        public int? WageMinBdt { get; set; }
        public string? SectorCode { get; set; }
        public DateTime? ClosingDate { get; set; }
        public string? EmployerStatus { get; set; }
        public bool ChargesRecruitmentFee { get; set; }
    }

    /// <summary>
    /// Checks and creates a draft. Null when the input breaks a rule (the reasons added to <paramref name="errors"/>,
    /// which may already hold the form's own parse errors; then nothing is written either). With an
    /// <paramref name="idempotencyKey"/> a repeated request gets the first request's draft (Created false).
    /// </summary>
    public async Task<(long Id, bool Created)?> CreateAsync(Guid employerId, VacancyInput input, DateOnly today, FieldErrors errors,
        CancellationToken ct, string? idempotencyKey = null)
    {
        var valid = VacancyValidator.Validate(input, await taxonomy.LoadAsync(ct), today, errors);
        if (valid is null) return null;
        return await queries.CreateDraftAsync(employerId, valid, ct, idempotencyKey);
    }

    /// <summary>
    /// Checks and saves an edit made from <c>input.Version</c>: the input as a new draft's, and that an open vacancy
    /// stays publishable (an edit cannot take its wage under the sector's floor, which publishing checked). In this
    /// order: not found, invalid (reasons in <paramref name="errors"/>), then the stale version or a status that
    /// cannot be edited. A status read here cannot be overtaken unseen: every change of status bumps the version.
    /// </summary>
    public async Task<UpdateResult> EditAsync(long id, Guid employerId, VacancyInput input, DateOnly today, FieldErrors errors, CancellationToken ct)
    {
        var current = await queries.FindForEmployerAsync(id, employerId, ct);
        if (current is null) return UpdateResult.NotFound;
        var reference = await taxonomy.LoadAsync(ct);
        if (input.Version is null) errors.Add("version", "VersionRequired");
        var valid = VacancyValidator.Validate(input, reference, today, errors);
        if (valid is not null && current.Status == VacancyStatus.Open && PublishRules.BelowFloor(valid.Kind, valid.WageMinBdt, valid.SectorCode, reference))
        {
            PublishRules.AddFieldError(VacancyOutcome.WageBelowFloor, valid.SectorCode, reference, errors);
        }
        if (!errors.IsEmpty) return UpdateResult.Invalid;
        return (await queries.UpdateAsync(id, employerId, valid!, input.Version!.Value, ct)).Result;
    }

    public async Task<VacancyOutcome> PublishAsync(long id, Guid employerId, DateOnly today, CancellationToken ct)
    {
        var reference = await taxonomy.LoadAsync(ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Share-lock the employer row: a suspension waits for this publish and then closes the vacancy with the rest.
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT v.status, v.kind, v.wage_min_bdt, v.sector_code, v.closing_date, e.status AS employer_status,
                   coalesce(e.charges_recruitment_fee, false) AS charges_recruitment_fee
            FROM vacancy v JOIN employer e ON e.organisation_id = v.employer_id
            WHERE v.id = @id AND v.employer_id = @employerId
            FOR UPDATE OF v FOR SHARE OF e
            """, new { id, employerId }, tx, cancellationToken: ct));
        if (row is null) return VacancyOutcome.NotFound;
        if (PublishRules.CheckEmployer(row.EmployerStatus, row.ChargesRecruitmentFee) is { } refused) return refused;
        if (row.Status != VacancyStatus.Draft) return VacancyOutcome.WrongStatus;
        if (row.ClosingDate is not { } closing || DateOnly.FromDateTime(closing) < today) return VacancyOutcome.ClosingDatePassed;
        if (PublishRules.BelowFloor(row.Kind, row.WageMinBdt, row.SectorCode, reference)) return VacancyOutcome.WageBelowFloor;

        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE vacancy SET status = 'open', published_at = now(), closed_at = NULL, version = version + 1, updated_at = now()
            WHERE id = @id
            """, new { id }, tx, cancellationToken: ct));
        await events.PublishedAsync(id, employerId, connection, tx, ct);
        await tx.CommitAsync(ct);
        board.Changed(); // this node at once; the others by the trigger's notice
        events.AfterCommit();
        return VacancyOutcome.Done;
    }

    /// <summary>Closes a draft or an open vacancy; with <paramref name="filled"/>, marks an open one filled.</summary>
    public async Task<VacancyOutcome> CloseAsync(long id, Guid employerId, bool filled, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var status = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT status FROM vacancy WHERE id = @id AND employer_id = @employerId FOR UPDATE",
            new { id, employerId }, tx, cancellationToken: ct));
        if (status is null) return VacancyOutcome.NotFound;
        var allowed = filled ? status == VacancyStatus.Open : status is VacancyStatus.Draft or VacancyStatus.Open;
        if (!allowed) return VacancyOutcome.WrongStatus;

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE vacancy SET status = @next, closed_at = now(), version = version + 1, updated_at = now() WHERE id = @id",
            new { id, next = filled ? VacancyStatus.Filled : VacancyStatus.Closed }, tx, cancellationToken: ct));
        if (status == VacancyStatus.Open) await events.ClosedAsync(id, employerId, connection, tx, ct);
        await tx.CommitAsync(ct);
        board.Changed();
        if (status == VacancyStatus.Open) events.AfterCommit();
        return VacancyOutcome.Done;
    }
}
