using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;

namespace JobMatch.Tests.Web;

/// <summary>
/// Skills are chosen by name, never typed as codes (issue 16): the forms offer a select grouped by sector in the
/// user's language (a script adds search by either name), the four levels with what they mean, and the API still
/// takes codes but also lowercase codes and whole English or Bangla names.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SkillPickerTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private const string HousekeepingSupervisionBn = "হাউসকিপিং তদারকি"; // HOS-003 in data/skills.csv

    [Fact]
    public async Task CaseWorkerSkillForm_OffersSkillsByBanglaNameAndLevelsWithMeaning_NoCodeToType()
    {
        var app = shared.For(database);
        var (client, reference) = await BanglaCaseWorkerWithSeekerAsync(app);

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync($"/casework/seekers/{reference}"));

        var form = page.QuerySelectorAll("form").Single(f => f.GetAttribute("action")?.Contains("handler=Skill") == true);
        Assert.Null(form.QuerySelector("input[name=skillCode]")); // no free-text code any more
        var option = form.QuerySelector("select[name=skillCode] option[value='HOS-003']")!;
        Assert.Equal(HousekeepingSupervisionBn, option.TextContent.Trim());
        Assert.Equal("Housekeeping supervision", option.GetAttribute("data-other"));
        Assert.Equal("optgroup", option.ParentElement!.LocalName);
        Assert.DoesNotContain("HOS-", form.TextContent, StringComparison.Ordinal);
        var levels = form.QuerySelectorAll("input[type=radio][name=level]").Select(r => r.ParentElement!.TextContent).ToList();
        Assert.Equal(4, levels.Count);
        Assert.Contains("সহজ কাজ", levels[0], StringComparison.Ordinal); // level 1's descriptor, in Bangla
        Assert.Contains("/js/skill-picker.js", page.QuerySelector("script[src]")!.GetAttribute("src"));
    }

    [Fact]
    public async Task CaseWorkerSkillForm_SavesTheChosenSkill_WhenPostedFromThePicker()
    {
        var app = shared.For(database);
        var (client, reference) = await BanglaCaseWorkerWithSeekerAsync(app);
        var html = await client.GetStringAsync($"/casework/seekers/{reference}");

        var response = await client.PostAsync($"/casework/seekers/{reference}?handler=Skill", FormValidationTests.Form(JobMatchApp.FormToken(html),
            ("skillCode", "HOS-003"), ("level", "2"), ("source", "self_declared"), ("monthsExperience", "5")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await client.GetStringAsync($"/casework/seekers/{reference}");
        Assert.Contains(HousekeepingSupervisionBn, after, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hos-003")]
    [InlineData("housekeeping SUPERVISION")]
    [InlineData(HousekeepingSupervisionBn)]
    public async Task TraineeSkillApi_AcceptsLowercaseCodeOrEitherName_StoresTheCode(string typed)
    {
        var app = shared.For(database);
        var (provider, number) = await TraineeAsync(app);

        var put = await provider.PutAsJsonAsync($"/api/training/trainees/{number}/skills/{Uri.EscapeDataString(typed)}",
            new { level = 2, source = "assessed", monthsExperience = 3 });

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var skill = (await provider.GetFromJsonAsync<JsonElement>($"/api/training/trainees/{number}")).GetProperty("skills")[0];
        Assert.Equal("HOS-003", skill.GetProperty("skillCode").GetString());
    }

    [Fact]
    public async Task CourseApi_AcceptsBanglaNameAndLowercaseCode_AndCountsOneSkillOnce()
    {
        var app = shared.For(database);
        var (provider, _) = await TraineeAsync(app);

        var created = await provider.PostAsJsonAsync("/api/training/courses", new
        {
            code = "HK-" + Guid.NewGuid().ToString("N")[..6], name = "Housekeeping",
            skills = new[] { new { skillCode = HousekeepingSupervisionBn, level = 2 }, new { skillCode = "hos-002", level = 1 }, new { skillCode = "HOS-003", level = 2 } },
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var course = (await provider.GetFromJsonAsync<JsonElement>("/api/training/courses")).EnumerateArray().Single();
        Assert.Equal(["HOS-002", "HOS-003"], course.GetProperty("skills").EnumerateArray().Select(s => s.GetProperty("skillCode").GetString()!).Order());
    }

    [Fact]
    public async Task CourseForm_CreatesCourseFromPickedSkills_AndShowsItsSkillsByName()
    {
        var app = shared.For(database);
        var (provider, _) = await app.SignedInClientAsync(Roles.TrainingProvider, language: "bn");
        var html = await provider.GetStringAsync("/training/courses");
        Assert.Null(new HtmlParser().ParseDocument(html).QuerySelector("input[name=skills]"));

        var response = await provider.PostAsync("/training/courses?handler=Create", FormValidationTests.Form(JobMatchApp.FormToken(html),
            ("code", "HK-101"), ("name", "Housekeeping"), ("skill-1", "HOS-003"), ("level-1", "2"), ("skill-2", ""), ("level-2", "1")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = new HtmlParser().ParseDocument(await provider.GetStringAsync("/training/courses"));
        Assert.Contains(HousekeepingSupervisionBn, after.QuerySelector("section.card .tags")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CourseForm_ShowsBanglaErrorAtTheFirstSkill_AndKeepsTypedInput_WhenNoSkillIsChosen()
    {
        var app = shared.For(database);
        var (provider, _) = await app.SignedInClientAsync(Roles.TrainingProvider, language: "bn");
        var html = await provider.GetStringAsync("/training/courses");

        var response = await provider.PostAsync("/training/courses?handler=Create", FormValidationTests.Form(JobMatchApp.FormToken(html),
            ("code", "HK-102"), ("name", "Typed name"), ("skill-1", ""), ("level-1", "3")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await FormValidationTests.ParseAsync(response);
        var skill = page.QuerySelector("select[name=skill-1]")!;
        Assert.Equal("true", skill.GetAttribute("aria-invalid"));
        Assert.Equal("একটি কোর্সে অন্তত একটি দক্ষতা থাকতে হবে।", page.GetElementById(skill.GetAttribute("aria-describedby")!)!.TextContent.Trim());
        Assert.Equal("Typed name", page.QuerySelector("input[name=name]")!.GetAttribute("value"));
        Assert.Equal("3", page.QuerySelector("select[name=level-1] option[selected]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task SkillPickerScript_IsServedFromTheSite_ForTheCspWithoutInlineScript()
    {
        var app = shared.For(database);
        var client = app.CreatePlainClient();

        var response = await client.GetAsync("/js/skill-picker.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-skill-search", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<(HttpClient Client, string Reference)> BanglaCaseWorkerWithSeekerAsync(JobMatchApp app)
    {
        var (client, _) = await app.SignedInClientAsync(Roles.CaseWorker, language: "bn");
        await JobMatchApp.UseApiTokenAsync(client);
        return (client, await SeekerApi.RegisterAsync(client, SeekerApi.Canaries.New()));
    }

    /// <summary>A provider (API token) with one enrolled trainee.</summary>
    private async Task<(HttpClient Provider, string Number)> TraineeAsync(JobMatchApp app)
    {
        var caseWorker = await SeekerApi.CaseWorkerAsync(app);
        var (provider, user) = await app.SignedInClientAsync(Roles.TrainingProvider);
        await JobMatchApp.UseApiTokenAsync(provider);
        var reference = await SeekerApi.RegisterAsync(caseWorker, SeekerApi.Canaries.New());
        Assert.Equal(HttpStatusCode.NoContent, (await caseWorker.PostAsJsonAsync($"/api/casework/seekers/{reference}/enrolments",
            new { providerId = user.OrganisationId, consentMethod = "in_person" })).StatusCode);
        return (provider, await SeekerApi.TraineeNumberAsync(database.DataSource, reference));
    }
}
