using JobMatch.Notifications;

namespace JobMatch.BackgroundJobs;

/// <summary>
/// Employer digests: daily for every employer (<see cref="RunAsync"/>), and at once for a newly published vacancy
/// (<see cref="ForVacancyAsync"/>, a continuation of its <see cref="ProposeMatchesForVacancy"/>). Idempotent: a
/// candidate is in one digest only.
/// </summary>
internal sealed class SendEmployerDigests(EmployerDigests digests) : IHangfireJob
{
    public async Task RunAsync(CancellationToken ct) => await digests.SendAllAsync(ct);

    public async Task ForVacancyAsync(long vacancyId, CancellationToken ct) => await digests.SendForVacancyAsync(vacancyId, ct);
}
