using JobMatch.Database;
using Dapper;
using JobMatch.Notifications.Templates;
using Npgsql;

namespace JobMatch.Notifications;

/// <summary>
/// Employer digests: one e-mail per employer listing its open vacancies with candidates that became visible to it
/// (match status 'shown'; proposals still waiting for a case worker's review do not count) since its last digest,
/// counted through the one rule's <c>employer_candidate</c> view, so a candidate a safety change forbids is never counted.
/// The matches are marked <c>employer_notified_at</c> in the transaction that writes the outbox row, so running again
/// sends nothing twice; a per-employer advisory lock keeps two runs from splitting one employer's digest.
/// </summary>
internal sealed class EmployerDigests(NpgsqlDataSource db, Outbox outbox, ILogger<EmployerDigests> logger)
{
    /// <summary>The daily digest of every employer with new candidates. Returns the number of digests written.</summary>
    public async Task<int> SendAllAsync(CancellationToken ct)
    {
        Guid[] employers;
        await using (var read = await EmployerReads.BeginAsync(db, ct)) // R4: as jm_employer_api
        {
            employers = (await read.Connection.QueryAsync<Guid>(new CommandDefinition(
                """
                SELECT DISTINCT v.employer_id
                FROM employer_candidate ec JOIN match m ON m.id = ec.match_id JOIN vacancy v ON v.id = ec.vacancy_id
                WHERE ec.status = 'shown' AND m.employer_notified_at IS NULL AND v.status = 'open'
                ORDER BY v.employer_id
                """, cancellationToken: ct))).ToArray();
        }
        var written = 0;
        foreach (var employerId in employers)
        {
            if (await SendAsync(employerId, vacancyId: null, ct)) written++;
        }
        if (written > 0) outbox.DispatchSoon();
        logger.LogInformation("Employer digests: {Digests} written for {Employers} employers with new candidates", written, employers.Length);
        return written;
    }

    /// <summary>The immediate digest for a newly published vacancy, once its proposals exist. True when one was written.</summary>
    public async Task<bool> SendForVacancyAsync(long vacancyId, CancellationToken ct)
    {
        Guid? employerId;
        await using (var read = await EmployerReads.BeginAsync(db, ct))
        {
            employerId = await read.Connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "SELECT employer_id FROM vacancy WHERE id = @vacancyId", new { vacancyId }, cancellationToken: ct));
        }
        if (employerId is null) return false;
        var written = await SendAsync(employerId.Value, vacancyId, ct);
        if (written) outbox.DispatchSoon();
        logger.LogInformation("Digest for vacancy {VacancyId}: {Written}", vacancyId, written ? "written" : "nothing new");
        return written;
    }

    private async Task<bool> SendAsync(Guid employerId, long? vacancyId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtext('employer_digest'), hashtext(@employer))",
            new { employer = employerId.ToString() }, tx, cancellationToken: ct));
        // Bookkeeping only: neither version nor updated_at changes, so nobody's edit of the match meets a conflict.
        var marked = (await connection.QueryAsync<long>(new CommandDefinition(
            """
            WITH due AS (
                SELECT m.id FROM match m JOIN vacancy v ON v.id = m.vacancy_id
                WHERE v.employer_id = @employerId AND v.status = 'open' AND (@vacancyId::bigint IS NULL OR v.id = @vacancyId)
                  AND m.status = 'shown' AND m.employer_notified_at IS NULL
                  AND m.id IN (SELECT ec.match_id FROM employer_candidate ec WHERE ec.employer_id = @employerId)
                FOR UPDATE OF m
            )
            UPDATE match m SET employer_notified_at = now() FROM due WHERE m.id = due.id RETURNING m.id
            """, new { employerId, vacancyId }, tx, cancellationToken: ct))).ToArray();
        if (marked.Length == 0) return false;
        // R4: what the e-mail shows is read as jm_employer_api; the outbox row is written as the app.
        await RestrictedRead.SetRoleAsync(connection, tx, EmployerReads.Role, ct);
        var vacancies = (await connection.QueryAsync<DigestRow>(new CommandDefinition(
            """
            SELECT v.id AS vacancy_id, v.title_en, v.title_bn, count(*)::int AS new_candidates
            FROM employer_candidate ec JOIN vacancy v ON v.id = ec.vacancy_id
            WHERE ec.match_id = ANY (@marked)
            GROUP BY v.id, v.title_en, v.title_bn
            ORDER BY v.id
            """, new { marked }, tx, cancellationToken: ct))).ToList();
        await RestrictedRead.ResetRoleAsync(connection, tx, ct);
        if (vacancies.Count == 0) return false;

        var args = new EmployerDigestArgs(vacancies.Select(v => new DigestVacancy(v.VacancyId, v.TitleEn, v.TitleBn, v.NewCandidates)).ToList());
        await outbox.EnqueueAsync(connection, tx, NewOutboxMessage.Create(EmailTemplates.EmployerDigest, RecipientKinds.Employer, employerId.ToString(), args), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private sealed class DigestRow
    {
        public long VacancyId { get; set; }
        public string? TitleEn { get; set; }
        public string? TitleBn { get; set; }
        public int NewCandidates { get; set; }
    }
}
