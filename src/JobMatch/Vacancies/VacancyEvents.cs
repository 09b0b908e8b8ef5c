using Dapper;
using JobMatch.MatchingContract;
using Npgsql;

namespace JobMatch.Vacancies;

/// <summary>
/// The one place the job board tells matching and background jobs that something happened. Each method is called
/// inside the transaction of the change and, for now, records a <c>vacancy_event</c> row in it (an outbox: no event
/// for a change that rolled back, none lost for one that committed). The background-jobs feature turns these into
/// Hangfire jobs (propose matches for a published vacancy, re-match after a skills change, withdraw proposals of a
/// closed vacancy or a suspended employer); call <see cref="AfterCommit"/> once the transaction has committed, so
/// that happens at once instead of at the next poll.
/// </summary>
internal sealed class VacancyEvents(IMatchingTriggers jobs)
{
    public const string Published = "published";
    public const string SkillsChanged = "skills_changed";
    public const string Closed = "closed";
    public const string EmployerSuspended = "employer_suspended";

    /// <summary>A vacancy went from draft to open.</summary>
    public Task PublishedAsync(long vacancyId, Guid employerId, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        RecordAsync(Published, vacancyId, employerId, connection, tx, ct);

    /// <summary>An open vacancy's required skills (or their levels) changed.</summary>
    public Task SkillsChangedAsync(long vacancyId, Guid employerId, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        RecordAsync(SkillsChanged, vacancyId, employerId, connection, tx, ct);

    /// <summary>An open vacancy was closed, filled, expired, or closed by a suspension.</summary>
    public Task ClosedAsync(long vacancyId, Guid employerId, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        RecordAsync(Closed, vacancyId, employerId, connection, tx, ct);

    /// <summary>An admin suspended an employer (its open vacancies are closed in the same transaction).</summary>
    public Task EmployerSuspendedAsync(Guid employerId, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        RecordAsync(EmployerSuspended, null, employerId, connection, tx, ct);

    /// <summary>After the commit of a transaction that recorded events: asks for them to be processed now.</summary>
    public void AfterCommit() => jobs.VacancyEventsRecorded();

    private static Task RecordAsync(string kind, long? vacancyId, Guid employerId, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO vacancy_event (kind, vacancy_id, employer_id) VALUES (@kind, @vacancyId, @employerId)",
            new { kind, vacancyId, employerId }, tx, cancellationToken: ct));
}
