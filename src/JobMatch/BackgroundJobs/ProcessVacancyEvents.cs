using Dapper;
using Hangfire;
using JobMatch.Matching;
using JobMatch.Vacancies;
using Npgsql;

namespace JobMatch.BackgroundJobs;

/// <summary>
/// Consumes the job board's <c>vacancy_event</c> rows (recurring every few seconds, and enqueued right after a publish):
/// a published vacancy or changed skills → <see cref="ProposeMatchesForVacancy"/>, and for a newly published vacancy
/// the employer's digest as soon as those proposals exist (a Hangfire continuation); a closed vacancy → its
/// proposals nobody acted on yet are withdrawn, which frees the seekers' slots. Rows are claimed with SKIP LOCKED and
/// marked processed in the same transaction; the follow-up jobs are enqueued before that commit, so a crash can only
/// enqueue them twice (they are idempotent), never lose them.
/// </summary>
[AutomaticRetry(Attempts = 0)] // a failed run is followed by the next scheduled one, which finds the same rows
internal sealed class ProcessVacancyEvents(NpgsqlDataSource db, IBackgroundJobClient jobs, ILogger<ProcessVacancyEvents> logger) : IHangfireJob
{
    private const int BatchSize = 500;

    public async Task RunAsync(CancellationToken ct)
    {
        while (await ProcessBatchAsync(ct) == BatchSize)
        {
        }
    }

    private async Task<int> ProcessBatchAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var events = (await connection.QueryAsync<(long Id, string Kind, long? VacancyId)>(new CommandDefinition(
            """
            SELECT id, kind, vacancy_id FROM vacancy_event
            WHERE processed_at IS NULL
            ORDER BY id
            LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
            """, new { BatchSize }, tx, cancellationToken: ct))).ToList();
        if (events.Count == 0) return 0;

        var published = events.Where(e => e.Kind == VacancyEvents.Published && e.VacancyId is not null).Select(e => e.VacancyId!.Value).ToHashSet();
        var rematch = events.Where(e => e.Kind is VacancyEvents.Published or VacancyEvents.SkillsChanged && e.VacancyId is not null)
            .Select(e => e.VacancyId!.Value).Distinct();
        var withdrawn = 0;
        foreach (var vacancyId in events.Where(e => e.Kind == VacancyEvents.Closed && e.VacancyId is not null).Select(e => e.VacancyId!.Value).Distinct())
        {
            withdrawn += await MatchWithdrawals.WithdrawUntouchedAsync(connection, tx, vacancyId, ct);
        }
        foreach (var vacancyId in rematch)
        {
            var proposing = jobs.Enqueue<ProposeMatchesForVacancy>(job => job.RunAsync(vacancyId, CancellationToken.None));
            if (published.Contains(vacancyId))
            {
                jobs.ContinueJobWith<SendEmployerDigests>(proposing, job => job.ForVacancyAsync(vacancyId, CancellationToken.None));
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE vacancy_event SET processed_at = now() WHERE id = ANY (@ids)",
            new { ids = events.Select(e => e.Id).ToArray() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        logger.LogInformation("Processed {Events} vacancy events ({Published} published); {Withdrawn} untouched proposals of closed vacancies withdrawn",
            events.Count, published.Count, withdrawn);
        return events.Count;
    }
}
