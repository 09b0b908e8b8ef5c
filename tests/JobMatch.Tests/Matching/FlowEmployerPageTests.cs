using System.Net;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

/// <summary>The employer's shortlist and candidate pages: Bangla, comparison, invite and outcome by plain form posts.</summary>
[Collection(PostgresCollection.Name)]
public sealed class FlowEmployerPageTests(PostgresFixture database)
{
    [Fact]
    public async Task ShortlistPage_InBangla_ShowsComparison_AndInviteThenHireWorkByFormPosts()
    {
        await using var app = new JobMatchApp(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employerId = await world.Sql.EmployerAsync();
        var (client, _) = await app.SignedInClientAsync(Roles.Employer, employerId, language: "bn");
        var vacancy = await world.VacancyAsync(employerId);
        var matchId = await world.ProposeAndApproveAsync(vacancy, worker, seeker);

        var shortlist = await client.GetStringAsync($"/employer/vacancies/{vacancy}/shortlist");
        Assert.Contains("প্রয়োজনীয় দক্ষতার তুলনা", shortlist);   // comparison heading
        Assert.Contains("id=\"comparison\"", shortlist);
        Assert.Contains(await world.HandleAsync(vacancy, seeker.Id), shortlist);
        Assert.DoesNotContain(seeker.Reference, shortlist);
        Assert.Matches("<td class=\"met\" data-label=\"[^\"]+\">আছে", shortlist);          // HND-005 held above the minimum level
        Assert.Matches("<td class=\"missing\" data-label=\"[^\"]+\">নেই</td>", shortlist); // HND-006 asked for and not held
        Assert.Contains("সনদের বছর ২০২৫", shortlist);             // certified, with the year only, without the provider
        Assert.Contains("অভিজ্ঞতা: ৬ থেকে ২৪ মাস", shortlist);    // 18 months, shown as a band

        var candidatePath = $"/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}";
        var card = await client.GetStringAsync(candidatePath);
        var invite = await client.PostAsync($"{candidatePath}?handler=Invite", Form(card, []));
        Assert.Equal(HttpStatusCode.Redirect, invite.StatusCode);
        Assert.Equal(MatchStatus.Invited, await world.StatusAsync(matchId));

        await world.AcceptAsync(worker, seeker, employerId, vacancy, matchId);
        card = await client.GetStringAsync(candidatePath);
        Assert.Contains(seeker.Canaries.Name, card);
        var missingTerms = await client.PostAsync($"{candidatePath}?handler=Outcome", Form(card, new() { ["Form.Outcome"] = "hired" }));
        Assert.Equal(HttpStatusCode.BadRequest, missingTerms.StatusCode);
        Assert.Contains("কাজ শুরুর তারিখ লিখুন", await missingTerms.Content.ReadAsStringAsync());
        var hire = await client.PostAsync($"{candidatePath}?handler=Outcome", Form(card, new()
        {
            ["Form.Outcome"] = "hired", ["Form.StartDate"] = DateTime.UtcNow.ToString("yyyy-MM-dd"), ["Form.MonthlyWageBdt"] = "14000", ["Form.WrittenContract"] = "true",
        }));
        Assert.Equal(HttpStatusCode.Redirect, hire.StatusCode);
        Assert.Equal(MatchStatus.Hired, await world.StatusAsync(matchId));
    }

    private static FormUrlEncodedContent Form(string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = JobMatchApp.FormToken(page);
        return new FormUrlEncodedContent(fields);
    }
}
