using JobMatch.Tests.Infrastructure;
using Microsoft.Playwright;

namespace JobMatch.BrowserTests;

[Collection(PostgresCollection.Name)]
public sealed class SignInPageTests(PostgresFixture database, ChromiumFixture chromium)
{
    [BrowserFact]
    public async Task SignInPage_SwitchesToBangla_InARealBrowser()
    {
        await using var app = new BrowserApp(database);
        using var _ = app.CreateClient(); // starts the server
        await using var session = await chromium.SessionAsync();
        var browser = session.Browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });

        await page.GotoAsync(app.BaseUrl + "/account/login");
        await page.ClickAsync("button[name=culture][value=bn]");
        await page.WaitForSelectorAsync("html[lang=bn]");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("sign-in-bn"), FullPage = true });

        Assert.Contains("সাইন ইন", await page.InnerTextAsync("h1"));
    }
}
