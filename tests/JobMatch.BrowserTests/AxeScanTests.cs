using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace JobMatch.BrowserTests;

/// <summary>
/// The field-use crawl checks pages with <see cref="AxeScan"/> instead of the library's <c>page.RunAxe()</c> (ten
/// times faster here): on a page with known serious and critical violations both must find the same rules at the
/// same impact, so that the crawl's axe check stays the library's, and can fail.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AxeScanTests(ChromiumFixture chromium)
{
    private const string BrokenPage = """
        <!doctype html>
        <html><head><title>Broken on purpose</title></head>
        <body>
          <main>
            <h1>Broken on purpose</h1>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
            <button></button>
            <form><input type="text" name="unlabelled"></form>
            <p style="color:#bbb;background:#fff">Too pale to read</p>
            <a href="/somewhere"></a>
          </main>
        </body></html>
        """;

    [BrowserFact]
    public async Task AxeScan_FindsWhatRunAxeFinds_OnAPageWithSeriousAndCriticalViolations()
    {
        await using var session = await chromium.SessionAsync();
        var page = await session.Browser.NewPageAsync();
        await page.SetContentAsync(BrokenPage);

        var library = (await page.RunAxe()).Violations.Select(v => $"{v.Id}:{v.Impact}").Order().ToList();
        await page.SetContentAsync(BrokenPage); // a fresh document, without the axe the library injected
        var scan = await AxeScan.ViolationsAsync(page);

        Assert.Equal(library, scan.Select(v => $"{v.Id}:{v.Impact}").Order().ToList());
        Assert.Contains("image-alt:critical", library);
        Assert.Contains("button-name:critical", library);
        Assert.Contains("color-contrast:serious", library);
        Assert.Contains("html-has-lang:serious", library);
        Assert.All(scan, v => Assert.NotEmpty(v.Targets));
    }
}
