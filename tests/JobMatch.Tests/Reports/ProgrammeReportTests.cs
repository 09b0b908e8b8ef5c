using System.Net;
using System.Text;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;

namespace JobMatch.Tests.Reports;

/// <summary>The admin programme page and its CSV export against real data.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ProgrammeReportTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)
    private readonly OffersWorld _world = new(shared.For(database));

    [Fact]
    public async Task ProgrammeCsv_EscapesAFormulaInAVacancyTitle_AndSuppressesSmallCells()
    {
        var title = "=HYPERLINK(\"x\")";
        var (_, formula) = await _world.VacancyAsync(title, null);
        await MatchesAsync(formula, proposed: 4, hired: 2);      // 6 proposals, 2 hires
        // Two more small vacancies, so the proposals column always has more than one hidden cell (no second suppression
        // of the 6 whatever other tests left in the shared database).
        await MatchesAsync((await _world.VacancyAsync()).VacancyId, proposed: 2, hired: 0);
        await MatchesAsync((await _world.VacancyAsync()).VacancyId, proposed: 3, hired: 0);
        var (admin, _) = await _app.SignedInClientAsync(Roles.Admin);

        var response = await admin.GetAsync("/admin/programme.csv");
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        var lines = csv.Split("\r\n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/csv", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("\uFEFFbreakdown,code,name,employer,proposed,shown,invited,accepted,interviewed,hired,", csv);
        var row = Assert.Single(lines, l => l.StartsWith($"vacancy,{formula},", StringComparison.Ordinal));
        Assert.StartsWith($"vacancy,{formula},\"'=HYPERLINK(\"\"x\"\")\",", row);
        var cells = row.Split(',');
        Assert.Equal("6", cells[4]);      // proposed
        Assert.Equal("<5", cells[5]);     // shown: the 2 hired
        Assert.Equal("<5", cells[9]);     // hired: 2 people
        Assert.DoesNotContain(lines, l => l.Split(',').Any(cell => cell.StartsWith('=')));
        await using var c = await database.DataSource.OpenConnectionAsync();
        Assert.True(await c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'programme_exported')"));
    }

    [Fact]
    public async Task ProgrammePage_DrawsSvgCharts_WithoutScriptOrStyleAttributes_ForAdminsOnly()
    {
        var (_, vacancy) = await _world.VacancyAsync();
        await MatchesAsync(vacancy, proposed: 5, hired: 5);
        var (admin, _) = await _app.SignedInClientAsync(Roles.Admin);
        var (employer, _) = await _app.SignedInClientAsync(Roles.Employer);

        var html = await admin.GetStringAsync("/admin/programme");
        var denied = await employer.GetAsync("/admin/programme.csv");

        Assert.Equal(3, html.Split("<svg").Length - 1);
        Assert.Contains("<rect", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain(" style=", html);
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
    }

    /// <summary>Proposals only, and hires that went the whole way, each for a new seeker.</summary>
    private async Task MatchesAsync(long vacancy, int proposed, int hired)
    {
        var agency = await _world.World.AgencyAsync();
        for (var i = 0; i < proposed + hired; i++)
        {
            var (seeker, _) = await _world.World.SeekerAsync(agency, []);
            if (i < hired)
            {
                await _world.MatchAsync(seeker, vacancy, "accepted", "hired");
                continue;
            }
            await using var c = await database.DataSource.OpenConnectionAsync();
            var id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, explanation) VALUES (@vacancy, @seeker, 'proposed', 1, 1, 'rule', '{}') RETURNING id",
                new { vacancy, seeker });
            await c.ExecuteAsync("INSERT INTO match_event (match_id, to_status, actor_role) VALUES (@id, 'proposed', 'system')", new { id });
        }
    }
}
