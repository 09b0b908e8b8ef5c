using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;

namespace JobMatch.Tests.Web;

/// <summary>
/// A form error speaks the user's language, sits next to its field (aria-invalid, aria-describedby), is listed in a
/// summary linking to the field, and nothing typed is lost; the API answers the same messages by Accept-Language.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FormValidationTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private const string NotAMobileBn = "এটি বাংলাদেশি মোবাইল নম্বর নয়।";

    [Fact]
    public async Task RegisterForm_ShowsBanglaErrorAtTheField_AndKeepsTypedInput_WhenPhoneIsInvalid()
    {
        var app = shared.For(database);
        var (client, _) = await app.SignedInClientAsync(Roles.CaseWorker, language: "bn");
        var token = await JobMatchApp.FormTokenAsync(client, "/casework/register");

        var response = await client.PostAsync("/casework/register", Form(token,
            ("FullName", "Rahima Typed"), ("Phone", "12345"), ("Address", "Road 7, typed"), ("Profile.ExpectedWageBdt", "9000"), ("Profile.Literacy", "basic")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await ParseAsync(response);
        var phone = page.QuerySelector("input[name=Phone]")!;
        Assert.Equal("true", phone.GetAttribute("aria-invalid"));
        var message = page.GetElementById(phone.GetAttribute("aria-describedby")!)!;
        Assert.Equal(NotAMobileBn, message.TextContent.Trim());
        Assert.Same(phone, message.PreviousElementSibling);
        var link = page.QuerySelector(".error-summary a")!;
        Assert.Equal("#" + phone.Id, link.GetAttribute("href"));
        Assert.Equal(NotAMobileBn, link.TextContent.Trim());
        Assert.Equal("Rahima Typed", page.QuerySelector("input[name=FullName]")!.GetAttribute("value"));
        Assert.Equal("Road 7, typed", page.QuerySelector("input[name=Address]")!.GetAttribute("value"));
        Assert.Equal("12345", phone.GetAttribute("value"));
        Assert.Equal("9000", page.QuerySelector("input[name='Profile.ExpectedWageBdt']")!.GetAttribute("value"));
        Assert.Equal("basic", page.QuerySelector("select[name='Profile.Literacy'] option[selected]")!.GetAttribute("value"));
        Assert.Null(page.QuerySelector("input[name=FullName]")!.GetAttribute("aria-invalid"));
        Assert.DoesNotContain("phone:", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeekerApi_AnswersProblemDocumentInBangla_WhenAcceptLanguageIsBangla()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/casework/seekers")
        {
            Content = JsonContent.Create(new { fullName = "Someone", phone = "12345", profile = new { wants = "wage" } }),
        };
        request.Headers.AcceptLanguage.ParseAdd("bn");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(NotAMobileBn, problem.GetProperty("errors").GetProperty("phone")[0].GetString());
    }

    [Fact]
    public async Task SeekerApi_AnswersProblemDocumentInEnglish_WhenAcceptLanguageIsEnglish()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/casework/seekers")
        {
            Content = JsonContent.Create(new { fullName = "Someone", phone = "12345", profile = new { wants = "wage" } }),
        };
        request.Headers.AcceptLanguage.ParseAdd("en");

        var problem = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("Not a Bangladeshi mobile number.", problem.GetProperty("errors").GetProperty("phone")[0].GetString());
    }

    [Fact]
    public async Task TrainerSkillForm_KeepsTraineeAndTypedInput_WhenTheSkillIsUnknown()
    {
        var app = shared.For(database);
        var (provider, user) = await app.SignedInClientAsync(Roles.TrainingProvider, language: "bn");
        var caseWorker = await SeekerApi.CaseWorkerAsync(app);
        var reference = await SeekerApi.RegisterAsync(caseWorker, SeekerApi.Canaries.New());
        var enrol = await caseWorker.PostAsJsonAsync($"/api/casework/seekers/{reference}/enrolments", new { providerId = user.OrganisationId, consentMethod = "in_person" });
        Assert.True(enrol.IsSuccessStatusCode, $"enrolment: {(int)enrol.StatusCode}");
        var list = await provider.GetStringAsync("/training");
        var trainee = new HtmlParser().ParseDocument(list).QuerySelector("select[name=trainee] option")!.GetAttribute("value")!;

        var response = await provider.PostAsync("/training?handler=Skill", Form(JobMatchApp.FormToken(list),
            ("trainee", trainee), ("skillCode", "NOPE-999"), ("level", "3"), ("source", "certified"), ("monthsExperience", "14")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await ParseAsync(response);
        var form = page.GetElementById("add-skill")!;
        Assert.Equal(trainee, form.QuerySelector("select[name=trainee] option[selected]")!.GetAttribute("value"));
        var skill = form.QuerySelector("[name=skillCode]")!;
        Assert.Equal("true", skill.GetAttribute("aria-invalid"));
        Assert.Contains("দক্ষতা", page.GetElementById(skill.GetAttribute("aria-describedby")!)!.TextContent);
        Assert.Equal("14", form.QuerySelector("input[name=monthsExperience]")!.GetAttribute("value"));
        Assert.Equal("3", form.QuerySelector("input[name=level][checked]")!.GetAttribute("value"));
        Assert.Equal("certified", form.QuerySelector("select[name=source] option[selected]")!.GetAttribute("value"));
    }

    internal static async Task<IDocument> ParseAsync(HttpResponseMessage response) =>
        await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    internal static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));
}
