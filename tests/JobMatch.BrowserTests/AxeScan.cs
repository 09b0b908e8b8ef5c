using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace JobMatch.BrowserTests;

/// <summary>
/// axe-core's violations on the page as it is, with the rules and options <c>page.RunAxe()</c> uses (the bundled axe-core,
/// its default rule set, iframes on), but run in the page itself in one call.
/// Why not <c>RunAxe()</c>: on this 2-core machine it took 5-15 s a page (2026-12-02, load 8-10), most of the crawl's
/// time. Per call it injects the 0.5 MB axe script into the page, serialises every rule's passes and inapplicable nodes
/// (a unique selector for each), opens a second page in the browser, injects axe there too, and finishes the run in
/// it. Here axe is injected once per document, only violations get their selectors (axe's own <c>resultTypes</c>
/// option: the other result types keep one node each; what is a violation does not change), and only what the tests
/// read (rule, impact, first targets) crosses to .NET.
/// </summary>
internal static class AxeScan
{
    private static readonly Lazy<string> Source = new(() => new BundledAxeScriptProvider().GetScript());

    internal sealed class Violation
    {
        public string Id { get; set; } = "";
        public string? Impact { get; set; }
        public string[] Targets { get; set; } = [];
    }

    public static async Task<IReadOnlyList<Violation>> ViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"))
        {
            await page.EvaluateAsync("() => {" + Source.Value + "}");
        }
        return await page.EvaluateAsync<Violation[]>(RunScript);
    }

    private const string RunScript = """
        async () => {
          const results = await axe.run(document, { iframes: true, resultTypes: ['violations'] });
          return results.violations.map(v => ({
            id: v.id,
            impact: v.impact,
            targets: v.nodes.slice(0, 3).map(n => JSON.stringify(n.target)),
          }));
        }
        """;
}
