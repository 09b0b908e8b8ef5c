using Dapper;
using Npgsql;

namespace JobMatch.Vacancies;

/// <summary>Draft → open → filled or closed, for the employer who owns the vacancy.</summary>
internal sealed class VacancyLifecycle(NpgsqlDataSource db, VacancyEvents events, Taxonomy taxonomy, BoardCache board)
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
