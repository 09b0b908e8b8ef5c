using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobMatch.Tests.Matching;

/// <summary>
/// Issue 13 acceptance: each safety change a case worker (or the admin) makes takes the candidate away from every
/// employer-facing read on the very next request — review queue, shortlist page and API, candidate page and API (404),
/// the next digest — and withdraws the open matches it forbids, with the reason for case work and an audit row.
/// "none" is the control: the same checks see the candidate when nothing changed, so they can fail.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SafetyChangeTests(PostgresFixture database)
{
    [Theory]
    [InlineData("none", null)]
    [InlineData("do_not_match_employer", "do_not_match_employer")]
    [InlineData("do_not_match_sector", "do_not_match_sector")]
    [InlineData("do_not_match_upazila", "do_not_match_upazila")]
    [InlineData("consent_withdrawn", "consent_withdrawn")]
    [InlineData("placed", "seeker_placed")]
    [InlineData("erased", "seeker_erased")]
    [InlineData("employer_suspended", "employer_suspended")]
    [InlineData("paused", "seeker_paused")]
    [InlineData("withdrawn", "seeker_withdrawn")]
    [InlineData("paused_on_page", "seeker_paused")]
    public async Task SafetyChange_HidesTheCandidateFromEveryEmployerRead_OnTheNextRequest(string change, string? reason)
    {
        await using var app = new JobMatchApp(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var shownVacancy = await world.VacancyAsync(employer.Id);
        var shown = await world.ProposeAndApproveAsync(shownVacancy, worker, seeker);
        var reviewVacancy = await world.VacancyAsync(employer.Id);
        await world.ProposeAsync(reviewVacancy);
        var proposal = await world.MatchIdAsync(reviewVacancy, seeker.Id);
        var handle = await world.HandleAsync(shownVacancy, seeker.Id);

        Assert.True(await VisibleAsync(employer, worker, shownVacancy, handle, proposal), "control: the candidate is visible before the change");

        await ApplyAsync(change, app, world, worker, seeker, employer);

        var visible = await VisibleAsync(employer, worker, shownVacancy, handle, proposal);
        await using var scope = app.Services.CreateAsyncScope();
        var digestWritten = await scope.ServiceProvider.GetRequiredService<EmployerDigests>().SendForVacancyAsync(shownVacancy, CancellationToken.None);
        if (reason is null)
        {
            Assert.True(visible);
            Assert.True(digestWritten, "control: the digest counts a visible candidate");
            return;
        }
        Assert.False(visible, "the candidate is still visible somewhere after " + change);
        Assert.False(digestWritten, "the next digest still counts the candidate");
        var approve = await worker.Client.PostAsync($"/api/casework/review/{proposal}/approve", null);
        Assert.NotEqual(HttpStatusCode.NoContent, approve.StatusCode);
        Assert.Equal("withdrawn", await world.StatusAsync(shown));
        Assert.Equal("withdrawn", await world.StatusAsync(proposal));
        await using var c = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(reason, await c.ExecuteScalarAsync<string>(
            "SELECT reason FROM match_event WHERE match_id = @shown AND to_status = 'withdrawn'", new { shown }));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE action = 'match_withdrawn_by_rule' AND subject = @subject", new { subject = $"match:{shown}" }));
    }

    /// <summary>True when ANY employer-facing read (or the review queue) still shows the candidate; false when none does.</summary>
    private static async Task<bool> VisibleAsync(FlowWorld.Employer employer, FlowWorld.CaseWorker worker, long vacancy, string handle, long proposal)
    {
        // A suspended employer is refused (403; a page redirects to the access-denied page) rather than shown an empty
        // list; either way the candidate is not there.
        HttpStatusCode[] answers = [HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.Redirect];
        async Task<(bool Ok, string Body)> GetAsync(string path)
        {
            var response = await employer.Client.GetAsync(path);
            Assert.True(answers.Contains(response.StatusCode), $"{path}: {(int)response.StatusCode}");
            return (response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        var shortlistApi = await GetAsync($"/api/employer/vacancies/{vacancy}/shortlist");
        var shortlistPage = await GetAsync($"/employer/vacancies/{vacancy}/shortlist");
        var cardApi = await GetAsync($"/api/employer/vacancies/{vacancy}/candidates/{handle}");
        var cardPage = await GetAsync($"/employer/vacancies/{vacancy}/candidates/{handle}");
        var review = await worker.Client.GetFromJsonAsync<JsonElement>("/api/casework/review?page=1");
        var inReview = review.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("matchId").GetInt64() == proposal);
        bool[] seen = [shortlistApi.Body.Contains(handle), shortlistPage.Body.Contains(handle), cardApi.Ok, cardPage.Ok, inReview];
        Assert.True(seen.All(s => s) || seen.All(s => !s), "employer reads disagree: " + string.Join(",", seen));
        return seen[0];
    }

    private static async Task ApplyAsync(string change, JobMatchApp app, FlowWorld world, FlowWorld.CaseWorker worker, FlowWorld.Seeker seeker,
        FlowWorld.Employer employer)
    {
        var rules = change switch
        {
            "do_not_match_employer" => new { blockedEmployerIds = new[] { employer.Id }, blockedSectors = Array.Empty<string>(), blockedUpazilas = Array.Empty<string>() },
            "do_not_match_sector" => new { blockedEmployerIds = Array.Empty<Guid>(), blockedSectors = new[] { "garments" }, blockedUpazilas = Array.Empty<string>() },
            "do_not_match_upazila" => new { blockedEmployerIds = Array.Empty<Guid>(), blockedSectors = Array.Empty<string>(), blockedUpazilas = new[] { "coxs_bazar_sadar" } },
            _ => null,
        };
        HttpResponseMessage response;
        if (rules is not null)
        {
            var current = await worker.Client.GetFromJsonAsync<JsonElement>($"/api/casework/seekers/{seeker.Reference}");
            response = await worker.Client.PutAsJsonAsync($"/api/casework/seekers/{seeker.Reference}/rules",
                new { version = current.GetProperty("version").GetInt64(), rules });
        }
        else
        {
            response = change switch
            {
                "none" => new HttpResponseMessage(HttpStatusCode.NoContent),
                "consent_withdrawn" => await worker.Client.PostAsync(
                    $"/api/casework/seekers/{seeker.Reference}/consents/{await MatchingConsentAsync(app, seeker.Id)}/withdraw", null),
                "erased" => await worker.Client.DeleteAsync($"/api/casework/seekers/{seeker.Reference}"),
                "employer_suspended" => await (await AdminAsync(app)).PostAsJsonAsync($"/api/employers/{employer.Id}/suspend", new { reason = "Fraud report" }),
                "placed" => await HireElsewhereAsync(app, world, seeker),
                "paused" or "withdrawn" => await SetSeekerStatusAsync(worker, seeker, change),
                "paused_on_page" => await PageSavedAsync(await SetSeekerStatusOnPageAsync(worker, seeker, "paused")),
                _ => throw new ArgumentOutOfRangeException(nameof(change)),
            };
        }
        Assert.True(response.IsSuccessStatusCode, $"{change}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Back to active after a pause: the matches the pause withdrew stay withdrawn (history, not a queue), even when the
    /// proposer runs again for both vacancies, so no employer sees the person again through them; the status and the
    /// audit trail say what happened.
    /// </summary>
    [Fact]
    public async Task SeekerBackToActive_DoesNotBringWithdrawnMatchesBack_WhenPausedBefore()
    {
        await using var app = new JobMatchApp(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var shownVacancy = await world.VacancyAsync(employer.Id);
        var shown = await world.ProposeAndApproveAsync(shownVacancy, worker, seeker);
        var reviewVacancy = await world.VacancyAsync(employer.Id);
        await world.ProposeAsync(reviewVacancy);
        var proposal = await world.MatchIdAsync(reviewVacancy, seeker.Id);
        var handle = await world.HandleAsync(shownVacancy, seeker.Id);

        Assert.True((await SetSeekerStatusAsync(worker, seeker, "paused")).IsSuccessStatusCode);
        await PageSavedAsync(await SetSeekerStatusOnPageAsync(worker, seeker, "active"));
        await world.ProposeAsync(shownVacancy);
        await world.ProposeAsync(reviewVacancy);

        Assert.Equal("active", (await worker.Client.GetFromJsonAsync<JsonElement>($"/api/casework/seekers/{seeker.Reference}")).GetProperty("status").GetString());
        Assert.Equal("withdrawn", await world.StatusAsync(shown));
        Assert.Equal("withdrawn", await world.StatusAsync(proposal));
        Assert.False(await VisibleAsync(employer, worker, shownVacancy, handle, proposal), "a resumed seeker's withdrawn match is visible again");
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<EmployerDigests>().SendForVacancyAsync(shownVacancy, CancellationToken.None));
        await using var c = await database.DataSource.OpenConnectionAsync();
        var actions = (await c.QueryAsync<string>("SELECT action FROM audit_log WHERE subject = @subject AND action IN ('seeker_paused', 'seeker_resumed') ORDER BY id",
            new { subject = $"seeker:{seeker.Reference}" })).ToList();
        Assert.Equal(["seeker_paused", "seeker_resumed"], actions);
    }

    /// <summary>Placed and erased have their own paths (a recorded hire, erasure); anything but active/paused/withdrawn is a field error.</summary>
    [Theory]
    [InlineData("placed")]
    [InlineData("erased")]
    [InlineData("on_holiday")]
    public async Task SeekerStatus_IsFieldError_WhenStatusIsNotSettable(string status)
    {
        await using var app = new JobMatchApp(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);

        var api = await SetSeekerStatusAsync(worker, seeker, status);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _), problem.ToString());

        var path = $"/casework/seekers/{seeker.Reference}";
        var switched = await worker.Client.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "bn", ["returnUrl"] = path, ["__RequestVerificationToken"] = await JobMatchApp.FormTokenAsync(worker.Client, path),
        }));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        var page = await SetSeekerStatusOnPageAsync(worker, seeker, status);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("id=\"status-error\"", html);
        Assert.Contains("সক্রিয় (active), বিরতি (paused) বা প্রত্যাহার (withdrawn) বেছে নিন।", html);
        await using var c = await database.DataSource.OpenConnectionAsync();
        Assert.Equal("active", await c.ExecuteScalarAsync<string>("SELECT status FROM seeker WHERE id = @Id", new { seeker.Id }));
    }

    /// <summary>A page's successful POST redirects back to the seeker (post/redirect/get); anything else fails here with its body.</summary>
    private static async Task<HttpResponseMessage> PageSavedAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }

    private static Task<HttpResponseMessage> SetSeekerStatusAsync(FlowWorld.CaseWorker worker, FlowWorld.Seeker seeker, string status) =>
        worker.Client.PutAsJsonAsync($"/api/casework/seekers/{seeker.Reference}/status", new { status });

    /// <summary>The same change through the seeker's case-work page (form post with its antiforgery token).</summary>
    private static async Task<HttpResponseMessage> SetSeekerStatusOnPageAsync(FlowWorld.CaseWorker worker, FlowWorld.Seeker seeker, string status)
    {
        var path = $"/casework/seekers/{seeker.Reference}";
        var token = await JobMatchApp.FormTokenAsync(worker.Client, path);
        return await worker.Client.PostAsync($"{path}?handler=Status", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["status"] = status, ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>Another employer records the seeker as hired, through its API: the seeker becomes placed.</summary>
    private static async Task<HttpResponseMessage> HireElsewhereAsync(JobMatchApp app, FlowWorld world, FlowWorld.Seeker seeker)
    {
        var other = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(other.Id);
        await new OffersWorld(app).MatchAsync(seeker.Id, vacancy, "accepted");
        return await other.Client.PostAsJsonAsync($"/api/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}/outcome",
            new { outcome = "hired", startDate = DateTime.UtcNow.ToString("yyyy-MM-dd"), monthlyWageBdt = 14000, writtenContract = true });
    }

    private static async Task<long> MatchingConsentAsync(JobMatchApp app, long seekerId)
    {
        await using var c = await app.Database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("SELECT id FROM consent WHERE seeker_id = @seekerId AND purpose = 'matching' AND withdrawn_at IS NULL", new { seekerId });
    }

    private static async Task<HttpClient> AdminAsync(JobMatchApp app)
    {
        var (admin, _) = await app.SignedInClientAsync(Roles.Admin);
        await JobMatchApp.UseApiTokenAsync(admin);
        return admin;
    }
}
