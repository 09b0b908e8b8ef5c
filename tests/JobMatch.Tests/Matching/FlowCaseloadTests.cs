using System.Net;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

/// <summary>Issue 7: the case worker's caseload shows each seeker's open proposals and offers, and the seeker page lists them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class FlowCaseloadTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Caseload_CountsOpenProposalsAndOffers_AndSeekerPageListsThemWithStatus()
    {
        var app = shared.For(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var invitedVacancy = await world.VacancyAsync(employer.Id);
        var proposedVacancy = await world.VacancyAsync(employer.Id);
        var invited = await world.ProposeAndApproveAsync(invitedVacancy, worker, seeker);
        await world.ProposeAsync(proposedVacancy);
        Assert.Equal(HttpStatusCode.NoContent,
            (await employer.Client.PostAsync($"/api/employer/vacancies/{invitedVacancy}/candidates/{await world.HandleAsync(invitedVacancy, seeker.Id)}/invite", null)).StatusCode);
        Assert.Equal("invited", await world.StatusAsync(invited));

        var row = CaseloadRow(await worker.Client.GetStringAsync("/casework"), seeker.Reference);
        Assert.Equal(["1", "1"], row[^2..]); // one proposal waiting for review, one offer waiting for the person

        var page = await worker.Client.GetStringAsync($"/casework/seekers/{seeker.Reference}");
        Assert.Contains("Invited, waiting for the person&#x27;s answer", page);
        Assert.Contains("Proposed, waiting for your review", page);
        Assert.Contains("href=\"/casework/review\"", page);

        await world.SetStatusAsync(invited, "hired");
        Assert.Equal(["1", "0"], CaseloadRow(await worker.Client.GetStringAsync("/casework"), seeker.Reference)[^2..]);
    }

    [Fact]
    public async Task SeekerPage_ShowsMatchStatusInBangla_WhenTheCaseWorkerReadsBangla()
    {
        var app = shared.For(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        await world.ProposeAsync(await world.VacancyAsync(employer.Id));
        var (banglaReader, _) = await app.SignedInClientAsync(JobMatch.Identity.Roles.CaseWorker, worker.AgencyId, language: "bn");

        var page = WebUtility.HtmlDecode(await banglaReader.GetStringAsync($"/casework/seekers/{seeker.Reference}"));

        Assert.Contains("প্রস্তাবিত, আপনার পর্যালোচনার অপেক্ষায়", page);
        Assert.Contains("প্রস্তাব ও অফার", page);
    }

    /// <summary>The text of each cell in the caseload row of one reference.</summary>
    private static string[] CaseloadRow(string html, string reference)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var row = document.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(reference, StringComparison.Ordinal));
        return row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray();
    }
}
