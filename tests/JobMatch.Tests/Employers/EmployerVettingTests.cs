using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Employers;

/// <summary>Admins create, verify and suspend employers (audited); employers keep their own profile.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EmployerVettingTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)

    [Fact]
    public async Task VerifyButton_VerifiesAndAudits_ThenEmployerCanPublish()
    {
        var (employer, employerId) = await EmployerClientAsync(_app, "pending");
        var draft = await CreateDraftAsync(employer, Input(Token()));
        var (admin, adminUser) = await _app.SignedInClientAsync(Roles.Admin);
        var waiting = await admin.GetStringAsync("/admin/employers");
        var formToken = await JobMatchApp.FormTokenAsync(admin, $"/admin/employers/{employerId}");

        var response = await admin.PostAsync($"/admin/employers/{employerId}?handler=Verify",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = formToken }));

        Assert.Contains($"/admin/employers/{employerId}", waiting);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("verified", await ScalarAsync<string>(database.DataSource,
            "SELECT status FROM employer WHERE organisation_id = @employerId AND verified_by = @by AND verified_at IS NOT NULL", new { employerId, by = adminUser.Id }));
        Assert.Equal(1, await ScalarAsync<long>(database.DataSource,
            "SELECT count(*) FROM audit_log WHERE action = 'employer_verify' AND subject = @subject AND actor_user_id = @by",
            new { subject = $"employer:{employerId}", by = adminUser.Id }));
        Assert.Equal(HttpStatusCode.OK, (await employer.PostAsync($"/api/vacancies/{draft}/publish", null)).StatusCode);
    }

    [Fact]
    public async Task SuspendButton_NeedsReason_ThenSuspendsAndClosesVacancies()
    {
        var employerId = await CreateEmployerAsync(database.DataSource);
        var open = await InsertVacancyAsync(database.DataSource, employerId, Token());
        var (admin, _) = await _app.SignedInClientAsync(Roles.Admin);
        var formToken = await JobMatchApp.FormTokenAsync(admin, $"/admin/employers/{employerId}");

        var noReason = await admin.PostAsync($"/admin/employers/{employerId}?handler=Suspend",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = formToken, ["Reason"] = "  " }));
        var statusAfterNoReason = await ScalarAsync<string>(database.DataSource, "SELECT status FROM employer WHERE organisation_id = @employerId", new { employerId });
        var withReason = await admin.PostAsync($"/admin/employers/{employerId}?handler=Suspend",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = formToken, ["Reason"] = "Asked workers for a fee" }));

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("Give a reason.", await noReason.Content.ReadAsStringAsync());
        Assert.Equal("verified", statusAfterNoReason);
        Assert.Equal(HttpStatusCode.Redirect, withReason.StatusCode);
        Assert.Equal("Asked workers for a fee", await ScalarAsync<string>(database.DataSource,
            "SELECT suspended_reason FROM employer WHERE organisation_id = @employerId AND status = 'suspended'", new { employerId }));
        Assert.Equal("closed", await ScalarAsync<string>(database.DataSource, "SELECT status FROM vacancy WHERE id = @open", new { open }));
    }

    [Fact]
    public async Task AdminApi_CreatesPendingEmployerWhoseUserCanSignIn()
    {
        var (admin, _) = await _app.SignedInClientAsync(Roles.Admin);
        await JobMatchApp.UseApiTokenAsync(admin);
        var userName = $"owner-{Token()}@shop.example";

        var response = await admin.PostAsJsonAsync("/api/employers", new
        {
            employer = new
            {
                name = "Ukhia Tailors", membership = "women_chamber", membershipNumber = "WC-77", tradeLicenceNumber = "TL-9",
                contactPerson = "Rokeya", contactPhone = "01711-223344", address = "Bazar Road, Ukhia", sectorCode = "garments",
            },
            userName,
        });
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var organisationId = created.RootElement.GetProperty("organisationId").GetGuid();
        using var client = _app.CreatePlainClient();
        var signIn = await JobMatchApp.SignInAsync(client, userName, created.RootElement.GetProperty("initialPassword").GetString()!);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("pending", await ScalarAsync<string>(database.DataSource,
            "SELECT status FROM employer WHERE organisation_id = @organisationId AND contact_phone = '+8801711223344'", new { organisationId }));
        Assert.Equal("/employer", signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AdminApi_Answers400WithFieldErrors_WhenEmployerIsIncomplete()
    {
        var (admin, _) = await _app.SignedInClientAsync(Roles.Admin);
        await JobMatchApp.UseApiTokenAsync(admin);

        var response = await admin.PostAsJsonAsync("/api/employers", new { employer = new { name = "No details" }, userName = "not a name" });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tradeLicenceNumber", body);
        Assert.Contains("membership", body);
    }

    [Fact]
    public async Task EmployersApi_IsForAdminsOnly()
    {
        var (employer, _) = await EmployerClientAsync(_app);
        Assert.Equal(HttpStatusCode.Forbidden, (await employer.GetAsync("/api/employers?status=pending")).StatusCode);
    }

    [Fact]
    public async Task Profile_Answers409WhenStale_AndAsksForVerificationAgainWhenLicenceChanges()
    {
        var (employer, employerId) = await EmployerClientAsync(_app);
        var me = await employer.GetFromJsonAsync<JsonElement>("/api/employers/me");
        var version = me.GetProperty("version").GetInt64();
        object Profile(long v, string licence) => new
        {
            name = me.GetProperty("name").GetString(), membership = "chamber", membershipNumber = me.GetProperty("membershipNumber").GetString(),
            tradeLicenceNumber = licence, contactPerson = "Contact", contactPhone = "+8801711000000", address = "Main Road",
            sectorCode = "garments", version = v,
        };

        var changed = await employer.PutAsJsonAsync("/api/employers/me", Profile(version, "TL-NEW"));
        var stale = await employer.PutAsJsonAsync("/api/employers/me", Profile(version, "TL-OTHER"));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("pending", await ScalarAsync<string>(database.DataSource,
            "SELECT status FROM employer WHERE organisation_id = @employerId AND trade_licence_number = 'TL-NEW'", new { employerId }));
    }
}
