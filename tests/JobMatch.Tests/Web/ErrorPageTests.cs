using System.Net;
using AngleSharp.Html.Parser;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Web;

/// <summary>Error answers to people are pages in the site frame and their language with a way home; to programs, problem documents.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ErrorPageTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task UnknownPage_Answers404PageInTheSiteFrame_InBangla()
    {
        var app = shared.For(database);
        var (client, _) = await app.SignedInClientAsync(Roles.TrainingProvider, language: "bn");

        var response = await client.GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.NotNull(page.QuerySelector("header.top nav"));
        Assert.Equal("bn", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("পাতাটি পাওয়া যায়নি", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains(page.QuerySelectorAll("main a"), a => a.GetAttribute("href") == "/training");
    }

    [Fact]
    public async Task ForeignRecord_Answers404PageWithTheRoleHome_ForASignedInUser()
    {
        var app = shared.For(database);
        var (client, _) = await app.SignedInClientAsync(Roles.CaseWorker);

        var response = await client.GetAsync("/casework/seekers/JS-NOPE99");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("Page not found", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains(page.QuerySelectorAll("main a"), a => a.GetAttribute("href") == "/casework");
    }

    [Fact]
    public async Task UnknownApiRoute_AnswersProblemDocument_NotAPage()
    {
        var app = shared.For(database);
        var (client, _) = await app.SignedInClientAsync(Roles.CaseWorker);

        var response = await client.GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(429, "Too many requests")]
    [InlineData(500, "Something went wrong")]
    public async Task ErrorPage_KeepsItsStatus_AndShowsTheFrame(int status, string title)
    {
        var app = shared.For(database);
        using var client = app.CreatePlainClient();

        var response = await client.GetAsync($"/error/{status}");

        Assert.Equal(status, (int)response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.NotNull(page.QuerySelector("header.top"));
        Assert.Equal(title, page.QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task Favicon_IsServed()
    {
        var app = shared.For(database);
        using var client = app.CreatePlainClient();

        var ico = await client.GetAsync("/favicon.ico");
        var svg = await client.GetAsync("/favicon.svg");

        Assert.Equal(HttpStatusCode.OK, ico.StatusCode);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
    }
}
