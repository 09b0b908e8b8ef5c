using System.Net;
using AngleSharp.Html.Parser;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Web;

namespace JobMatch.Tests.Seekers;

/// <summary>Case workers choose upazilas, sectors and employers by name in their language; codes stay internal.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PickerTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Caseload_ShowsUpazilaName_NotItsCode_InBangla()
    {
        var app = shared.For(database);
        var (client, user) = await app.SignedInClientAsync(Roles.CaseWorker, language: "bn");
        var api = await SeekerApi.CaseWorkerAsync(app, user.OrganisationId);
        await SeekerApi.RegisterAsync(api, SeekerApi.Canaries.New(), upazila: "coxs_bazar_sadar");

        var html = await client.GetStringAsync("/casework");

        Assert.Contains("কক্সবাজার সদর", html);
        Assert.DoesNotContain("coxs_bazar_sadar", html);
    }

    [Fact]
    public async Task DoNotMatchRules_AreChosenByName_AndSaved()
    {
        var app = shared.For(database);
        var (client, user) = await app.SignedInClientAsync(Roles.CaseWorker, language: "bn");
        var api = await SeekerApi.CaseWorkerAsync(app, user.OrganisationId);
        var reference = await SeekerApi.RegisterAsync(api, SeekerApi.Canaries.New());
        var path = $"/casework/seekers/{reference}/profile";
        var form = new HtmlParser().ParseDocument(await client.GetStringAsync(path));
        var domestic = form.QuerySelector("input[name=BlockedSectors][value=domestic_work]")!;
        Assert.Contains("গৃহস্থালি কাজ", domestic.ParentElement!.TextContent);
        Assert.Contains("উখিয়া", form.QuerySelector("select[name='Profile.UpazilaCode'] option[value=ukhia]")!.TextContent);
        var token = JobMatchApp.FormToken(await client.GetStringAsync(path));
        var version = form.QuerySelector("form[action*=Rules] input[name=Version]")!.GetAttribute("value")!;

        var saved = await client.PostAsync(path + "?handler=Rules", FormValidationTests.Form(token,
            ("Version", version), ("BlockedSectors", "domestic_work"), ("BlockedUpazilas", "ukhia")));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = new HtmlParser().ParseDocument(await client.GetStringAsync(path));
        Assert.True(after.QuerySelector("input[name=BlockedSectors][value=domestic_work]")!.HasAttribute("checked"));
        Assert.True(after.QuerySelector("input[name=BlockedUpazilas][value=ukhia]")!.HasAttribute("checked"));
        Assert.False(after.QuerySelector("input[name=BlockedSectors][value=hospitality]")!.HasAttribute("checked"));
    }
}
