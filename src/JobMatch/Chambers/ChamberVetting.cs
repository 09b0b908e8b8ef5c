using JobMatch.Employers;

namespace JobMatch.Chambers;

/// <summary>
/// A chamber admin's verify, suspend and reinstate: the platform's own <see cref="EmployerVetting"/> (so whatever a
/// suspension does elsewhere, e.g. closing vacancies and withdrawing proposals, happens for a chamber's decision too,
/// audited the same way with the chamber admin as actor), after checking that the employer claims the caller's body.
/// </summary>
internal sealed class ChamberVetting(ChamberQueries chambers, EmployerVetting vetting)
{
    public enum Result { Done, NotFound, NotApplicable }

    public async Task<Result> VerifyAsync(ChamberQueries.Body body, Guid employerId, Guid actor, CancellationToken ct) =>
        await chambers.MemberAsync(body, employerId, ct) is null ? Result.NotFound
        : await vetting.VerifyAsync(employerId, actor, ct) ? Result.Done : Result.NotApplicable;

    public async Task<Result> SuspendAsync(ChamberQueries.Body body, Guid employerId, string reason, Guid actor, CancellationToken ct) =>
        await chambers.MemberAsync(body, employerId, ct) is null ? Result.NotFound
        : await vetting.SuspendAsync(employerId, reason, actor, ct) is null ? Result.NotFound : Result.Done;

    public async Task<Result> ReinstateAsync(ChamberQueries.Body body, Guid employerId, Guid actor, CancellationToken ct) =>
        await chambers.MemberAsync(body, employerId, ct) is null ? Result.NotFound
        : await vetting.ReinstateAsync(employerId, actor, ct) ? Result.Done : Result.NotApplicable;
}
