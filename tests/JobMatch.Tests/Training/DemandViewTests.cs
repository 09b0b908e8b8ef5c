using System.Net;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;

namespace JobMatch.Tests.Training;

/// <summary>
/// Issue 17, the demand view: on a seeded world its figures equal direct SQL counts (positions asking for a skill in
/// open vacancies of the chosen upazila, the provider's active trainees at the level asked, the gap), it names the
/// provider's courses that teach the skills short, and neither the page nor the CSV carries any seeker's reference.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DemandViewTests(PostgresFixture database)
{
    private const string Upazila = "kutubdia";

    [Fact]
    public async Task DemandView_EqualsDirectSqlCounts_AndNamesNoSeeker()
    {
        await using var app = new JobMatchApp(database);
        var world = new MatchingWorld(database.DataSource);
        var (provider, providerUser) = await app.SignedInClientAsync(Roles.TrainingProvider);
        var providerId = providerUser.OrganisationId!.Value;
        var otherProvider = await app.CreateOrganisationAsync("training_provider");
        var agency = await world.AgencyAsync();
        var employer = await world.EmployerAsync();
        // Trainees: two cook at level 2+, one at level 1; a trainee of another provider and an ended enrolment do not count.
        var a = await world.SeekerAsync(agency, [("HOS-004", 3), ("HOS-001", 2)]);
        var b = await world.SeekerAsync(agency, [("HOS-004", 2)]);
        var c = await world.SeekerAsync(agency, [("HOS-004", 1)]);
        var elsewhere = await world.SeekerAsync(agency, [("HOS-004", 4)]);
        var ended = await world.SeekerAsync(agency, [("HOS-004", 4)]);
        await EnrolAsync(providerId, a.Id, b.Id, c.Id);
        await EnrolAsync(otherProvider, elsewhere.Id);
        await EnrolAsync(providerId, ended.Id);
        await ExecuteAsync("UPDATE enrolment SET ended_at = now() WHERE seeker_id = @id", new { id = ended.Id });
        // Open vacancies in the upazila (cooking required at 2 with 3 openings, preferred at 3 with 2), a draft and one elsewhere.
        await VacancyAsync(employer, Upazila, "open", 3, ("HOS-004", 2, true), ("HOS-001", 1, false));
        await VacancyAsync(employer, Upazila, "open", 2, ("HOS-004", 3, false));
        await VacancyAsync(employer, Upazila, "draft", 9, ("HOS-004", 1, true));
        await VacancyAsync(employer, "teknaf", "open", 7, ("HOS-004", 1, true));
        await ExecuteAsync(
            """
            WITH c AS (INSERT INTO course (provider_id, code, name) VALUES (@providerId, 'COOK-1', 'Coastal cooking') RETURNING id)
            INSERT INTO course_skill (course_id, skill_id, level) SELECT c.id, k.id, 3 FROM c, skill k WHERE k.code = 'HOS-004'
            """, new { providerId });

        var csv = await provider.GetStringAsync($"/training/demand.csv?upazila={Upazila}");
        var page = await provider.GetAsync($"/training/demand?upazila={Upazila}");
        var html = await page.Content.ReadAsStringAsync();

        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var asked = await QueryAsync<string>(
            "SELECT DISTINCT k.code FROM vacancy v JOIN vacancy_skill vs ON vs.vacancy_id = v.id JOIN skill k ON k.id = vs.skill_id WHERE v.status = 'open' AND v.upazila_code = @Upazila",
            new { Upazila });
        Assert.Equal(asked.Order(), lines.Select(l => l[1]).Order());
        foreach (var l in lines)
        {
            var code = l[1];
            var level = await ScalarAsync<int>(
                "SELECT min(vs.min_level) FROM vacancy v JOIN vacancy_skill vs ON vs.vacancy_id = v.id JOIN skill k ON k.id = vs.skill_id WHERE v.status = 'open' AND v.upazila_code = @Upazila AND k.code = @code",
                new { Upazila, code });
            var positions = await ScalarAsync<long>(
                "SELECT sum(v.openings) FROM vacancy v JOIN vacancy_skill vs ON vs.vacancy_id = v.id JOIN skill k ON k.id = vs.skill_id WHERE v.status = 'open' AND v.upazila_code = @Upazila AND k.code = @code",
                new { Upazila, code });
            var trainees = await ScalarAsync<long>(
                """
                SELECT count(DISTINCT ss.seeker_id) FROM seeker_skill ss JOIN skill k ON k.id = ss.skill_id
                JOIN enrolment e ON e.seeker_id = ss.seeker_id AND e.provider_id = @providerId AND e.ended_at IS NULL
                WHERE k.code = @code AND ss.level >= @level
                """, new { providerId, code, level });
            Assert.Equal([Text(level), Text(positions), Text(trainees), Text(Math.Max(0, positions - trainees))], new[] { l[2], l[3], l[6], l[7] });
        }
        var cooking = lines.Single(l => l[1] == "HOS-004");
        Assert.Equal(["2", "2"], new[] { cooking[2], cooking[6] }); // level 2 asked; trainees a and b hold it
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<svg", html);
        Assert.Contains("Coastal cooking", html);
        foreach (var reference in new[] { a.Reference, b.Reference, c.Reference, elsewhere.Reference, ended.Reference })
        {
            Assert.DoesNotContain(reference, csv);
            Assert.DoesNotContain(reference, html);
        }
    }

    private static string Text(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task EnrolAsync(Guid providerId, params long[] seekers) =>
        await ExecuteAsync(
            "INSERT INTO enrolment (seeker_id, provider_id, consent_method, enrolled_by) SELECT unnest(@seekers), @providerId, 'in_person', @providerId",
            new { seekers, providerId });

    private async Task VacancyAsync(Guid employer, string upazila, string status, int openings, params (string Code, int Level, bool Required)[] skills)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO vacancy (employer_id, title_en, sector_code, upazila_code, openings, status, published_at)
            VALUES (@employer, 'Cook', 'hospitality', @upazila, @openings, @status, CASE WHEN @status = 'open' THEN now() END) RETURNING id
            """, new { employer, upazila, openings, status });
        foreach (var (code, level, required) in skills)
        {
            await c.ExecuteAsync("INSERT INTO vacancy_skill (vacancy_id, skill_id, min_level, required) SELECT @id, id, @level, @required FROM skill WHERE code = @code",
                new { id, code, level, required });
        }
    }

    private async Task ExecuteAsync(string sql, object args)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync(sql, args);
    }

    private async Task<T> ScalarAsync<T>(string sql, object args)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object args)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return (await c.QueryAsync<T>(sql, args)).AsList();
    }
}
