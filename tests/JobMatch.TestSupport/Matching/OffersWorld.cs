using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

/// <summary>
/// Test data for the seeker's side of a match, in SQL on top of <see cref="MatchingWorld"/>: a seeker with a signed-in
/// account, an employer with a vacancy, and matches in a given state with the history that led there.
/// </summary>
internal sealed class OffersWorld(JobMatchApp app)
{
    public MatchingWorld World { get; } = new(app.Database.DataSource);

    public sealed record SignedInSeeker(long Id, string Reference, Guid AgencyId, Guid UserId, HttpClient Client);

    /// <summary>A seeker of the agency (a new one unless given) with a job-seeker account, signed in.</summary>
    public async Task<SignedInSeeker> SeekerAsync(Guid? agencyId = null, string language = "bn")
    {
        var agency = agencyId ?? await World.AgencyAsync();
        var (id, reference) = await World.SeekerAsync(agency, []);
        var user = await app.CreateUserAsync(Roles.JobSeeker, null, language: language);
        await using (var c = await app.Database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE seeker SET user_id = @userId WHERE id = @id", new { userId = user.Id, id });
        }
        var client = app.CreatePlainClient();
        await JobMatchApp.SignInAsync(client, user.UserName!, JobMatchApp.Password);
        return new SignedInSeeker(id, reference, agency, user.Id, client);
    }

    /// <summary>An open vacancy of a new verified employer, with the title given.</summary>
    public async Task<(Guid EmployerId, long VacancyId)> VacancyAsync(string titleEn = "Tailor", string? titleBn = "দর্জি")
    {
        var employer = await World.EmployerAsync();
        var vacancy = await World.VacancyAsync(employer);
        await using var c = await app.Database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync("UPDATE vacancy SET title_en = @titleEn, title_bn = @titleBn, hours = '9:00-17:00' WHERE id = @vacancy",
            new { titleEn, titleBn, vacancy });
        return (employer, vacancy);
    }

    /// <summary>A match that went proposed → shown → invited (→ further states given), with one event per step.</summary>
    public async Task<long> MatchAsync(long seekerId, long vacancyId, params string[] after)
    {
        string[] path = ["proposed", "shown", "invited", .. after];
        await using var c = await app.Database.DataSource.OpenConnectionAsync();
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, explanation)
            VALUES (@vacancyId, @seekerId, @status, 1, 1, 'rule', '{}') RETURNING id
            """, new { vacancyId, seekerId, status = path[^1] });
        string? from = null;
        foreach (var to in path)
        {
            await c.ExecuteAsync("INSERT INTO match_event (match_id, from_status, to_status, actor_role) VALUES (@id, @from, @to, 'system')",
                new { id, from, to });
            from = to;
        }
        return id;
    }

    public async Task<string> StatusAsync(long matchId)
    {
        await using var c = await app.Database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<string>("SELECT status FROM match WHERE id = @matchId", new { matchId }) ?? "";
    }
}
