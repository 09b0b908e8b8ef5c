using System.Diagnostics;
using System.Globalization;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace JobMatch.BrowserTests;

/// <summary>
/// Issue 16's acceptance ("usable in the field"): every role signs in (staff through their second factor), switches to
/// Bangla and, on a 390×844 phone, walks breadth-first over every page reachable by links from its home page. Each page
/// must fit the screen, pass axe-core with no serious or critical violation, and (when it is an error page) keep the
/// site's frame. Each create/edit form is sent once empty, with one field typed: the errors must be in Bangla, sit next
/// to their field (aria-invalid + aria-describedby) and the typed text must still be there.
/// The data is the security tests' world (every kind of organisation with real rows), so pages with ids are reached.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FieldUseCrawlTests(PostgresFixture database, ChromiumFixture chromium, ITestOutputHelper output, FieldUseCrawlTests.Shared shared)
    : IClassFixture<FieldUseCrawlTests.Shared>
{
    private const int PhoneWidth = 390;
    private const int MaxPagesPerRole = 40;
    private const string Marker = "চিহ্ন marker 16";
    private static readonly ViewportSize Phone = new() { Width = PhoneWidth, Height = 844 };

    /// <summary>Links the crawl does not follow: leaving the session, downloads, Hangfire's own dashboard, the API.</summary>
    private static readonly string[] NotCrawled = ["/account/logout", "/admin/jobs", "/api/", "/language", "/openapi", "/metrics"];

    /// <summary>
    /// POST forms that are not create/edit forms and are never sent empty: one-click actions with a reason or
    /// confirmation field whose empty submission would act (erase, withdraw, decline, leave) or sign-in steps.
    /// </summary>
    private static readonly string[] NotCreateOrEdit =
    [
        "handler=Erase", "handler=Withdraw", "handler=Decline", "handler=Accept", "handler=Left", "handler=StillEmployed",
        "handler=Deactivate", "handler=Suspend", "handler=Verify", "handler=Reinstate", "handler=Commit", "handler=Retry",
        "handler=Cancel", "handler=Approve", "handler=Skip", "/account/",
    ];

    /// <summary>Edit forms whose every field is optional, so that sending them empty is a valid edit and shows no error.</summary>
    private static readonly string[] EmptyIsValid =
    [
        "/casefile?handler=Save", // survivor status and referral source may both be cleared
    ];

    /// <summary>Known issues left for later (each names why); keep it short. Page path prefix → axe rule id.</summary>
    private static readonly (string Path, string Rule)[] KnownAxeIssues = [];

    [BrowserFact]
    public Task EveryPage_FitsAPhone_PassesAxe_AndKeepsTheFrame_ForEmployer() => CrawlAsync(Roles.Employer);

    [BrowserFact]
    public Task EveryPage_FitsAPhone_PassesAxe_AndKeepsTheFrame_ForCaseWorker() => CrawlAsync(Roles.CaseWorker);

    [BrowserFact]
    public Task EveryPage_FitsAPhone_PassesAxe_AndKeepsTheFrame_ForTrainingProvider() => CrawlAsync(Roles.TrainingProvider);

    [BrowserFact]
    public Task EveryPage_FitsAPhone_PassesAxe_AndKeepsTheFrame_ForChamberAdmin() => CrawlAsync(Roles.ChamberAdmin);

    [BrowserFact]
    public Task EveryPage_FitsAPhone_PassesAxe_AndKeepsTheFrame_ForAdmin() => CrawlAsync(Roles.Admin);

    [BrowserFact]
    public Task EveryPage_FitsAPhone_PassesAxe_AndKeepsTheFrame_ForJobSeeker() => CrawlAsync(Roles.JobSeeker);

    // The same crawl in English for the roles whose forms changed most (skill pickers, uploads): errors must then be
    // English, and English pages must fit the phone too.
    [BrowserFact]
    public Task EveryPage_FitsAPhone_PassesAxe_AndKeepsTheFrame_ForCaseWorker_InEnglish() => CrawlAsync(Roles.CaseWorker, "en");

    [BrowserFact]
    public Task EveryPage_FitsAPhone_PassesAxe_AndKeepsTheFrame_ForTrainingProvider_InEnglish() => CrawlAsync(Roles.TrainingProvider, "en");

    /// <summary>
    /// The account pages nobody reaches by a link once signed in (sign-in, denied, an invitation, a used-up link), on a
    /// phone in Bangla: each fits and passes axe, and the invitation's password errors sit at their fields in Bangla.
    /// </summary>
    [BrowserFact]
    public async Task AccountPages_FitAPhone_PassAxe_AndInvitationErrorsSitAtTheirFields()
    {
        var (_, app, browser) = await shared.GetAsync(database, chromium);
        var token = await InvitationTokenAsync(app);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/account/login");
        await page.ClickAsync("header.top form[action='/language'] button[value=bn]");
        await page.Locator("html[lang=bn]").WaitForAsync();
        var problems = new List<string>();

        foreach (var path in new[] { "/account/login", "/account/denied", "/account/invitation?token=not-a-token", "/account/invitation?token=" + Uri.EscapeDataString(token) })
        {
            var response = await page.GotoAsync(app.BaseUrl + path);
            await CheckPageAsync(page, path.Split('?')[0], response?.Status ?? 0, problems);
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("field-account-invitation-bn-390"), FullPage = true });
        await page.FillAsync("#Password", "short");
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        var errors = await CheckFieldErrorsAsync(page, "/account/invitation form", "bn", problems);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("field-account-invitation-errors-bn-390"), FullPage = true });
        await CheckPageAsync(page, "/account/invitation (errors)", 400, problems);

        foreach (var p in problems) output.WriteLine(p);
        Assert.True(errors >= 2, $"the invitation showed {errors} field errors for a short, unconfirmed password");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static async Task<string> InvitationTokenAsync(BrowserApp app)
    {
        var agency = await TestUsers.CreateOrganisationAsync(app.Services, "case_agency");
        var lead = await TestUsers.CreateUserAsync(app.Services, Roles.CaseWorker, agency);
        await using var scope = app.Services.CreateAsyncScope();
        var errors = new JobMatch.Web.FieldErrors();
        // The browser app has no mail server, so the invitation's link is handed over to the inviter (and here, to the test).
        var created = await scope.ServiceProvider.GetRequiredService<JobMatch.Onboarding.Invitations>().CreateAsync(agency, Roles.CaseWorker,
            $"invited-{Guid.NewGuid():N}@agency.example", "Invited Worker", false, lead.Id, errors, CancellationToken.None)
            ?? throw new InvalidOperationException("invitation refused: " + string.Join(", ", errors.Fields));
        return created.HandOverToken ?? throw new InvalidOperationException("no hand-over link although no mail server is set");
    }

    /// <summary>One world and one app on a real port for the whole class (the browser is the run's); a context of its own per role.</summary>
    public sealed class Shared : IAsyncLifetime
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly SecurityWorldFixture _world = new();
        private BrowserApp? _app;

        internal async Task<(SecurityWorld World, BrowserApp App, IBrowser Browser)> GetAsync(PostgresFixture database, ChromiumFixture chromium)
        {
            await _gate.WaitAsync();
            try
            {
                var world = await _world.GetAsync(database, JobMatch.Tests.Matching.FlowWorld.Settings());
                if (_app is null)
                {
                    // Six roles' crawls post the public registration form from one loopback address: above the 5-per-10-minutes
                    // limit for one real client, which would answer the last ones 429 instead of the field errors under test.
                    var settings = JobMatch.Tests.Matching.FlowWorld.Settings();
                    settings["Registration:PermitsPerWindow"] = "100";
                    _app = new BrowserApp(database, settings);
                    _app.CreateClient().Dispose(); // starts the server
                }
                return (world, _app, await chromium.BrowserAsync());
            }
            finally
            {
                _gate.Release();
            }
        }

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            if (_app is not null) await _app.DisposeAsync();
            await _world.DisposeAsync();
            _gate.Dispose();
        }
    }

    private async Task CrawlAsync(string role, string language = "bn")
    {
        var clock = Stopwatch.StartNew();
        var (world, app, browser) = await shared.GetAsync(database, chromium);
        var (userName, staff) = await UserAsync(world, app, role);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(15_000);
        var page = await context.NewPageAsync();
        output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  ready");

        await MatchJourneyTests.SignInAsync(page, app, userName, staff);
        if (language == "bn") await page.ClickAsync("header.top form[action='/language'] button[value=bn]");
        await page.Locator($"html[lang={language}]").WaitForAsync();
        var home = new Uri(page.Url).PathAndQuery;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath($"field-{role}-home-{language}-390"), FullPage = true });

        var problems = new List<string>();
        // One visit per kind of page (ids and query strings folded): the same template with other data costs a full axe
        // run and finds nothing new; this keeps the crawl within a few minutes on CI.
        // The account pages a signed-in person may open (no link leads to all of them) are visited too.
        string[] seeds = [home, "/account/authenticator", "/account/denied"];
        var seen = new HashSet<string>(seeds.Select(PageKind), StringComparer.Ordinal);
        var queue = new Queue<string>(seeds);
        var formsSent = new HashSet<string>(StringComparer.Ordinal);
        var visited = 0;
        while (queue.Count > 0 && visited < MaxPagesPerRole)
        {
            var path = queue.Dequeue();
            IResponse? response;
            try
            {
                response = await page.GotoAsync(app.BaseUrl + path);
            }
            catch (PlaywrightException e) when (e.Message.Contains("Download is starting", StringComparison.Ordinal))
            {
                continue; // a file (e.g. the import template), not a page
            }
            visited++;
            var status = response?.Status ?? 0;
            await CheckPageAsync(page, path, status, problems);
            foreach (var link in await LinksAsync(page, app.BaseUrl))
            {
                if (seen.Add(PageKind(link))) queue.Enqueue(link);
            }
            if (status < 400) await SendFormsEmptyAsync(page, app.BaseUrl + path, path, language, formsSent, problems);
        }
        output.WriteLine($"{role} ({language}): {visited} pages ({queue.Count} more queued), {formsSent.Count} forms sent empty, {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var p in problems) output.WriteLine(p);
        Assert.True(visited >= 3, $"{role}: only {visited} pages reached from {home}: the crawl proved nothing");
        Assert.True(problems.Count == 0, $"{role}: {problems.Count} problems\n" + string.Join("\n", problems.Distinct().Take(60)));
    }

    private static async Task CheckPageAsync(IPage page, string path, int status, List<string> problems)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        if (width > PhoneWidth)
        {
            var culprit = await page.EvaluateAsync<string>(WidestElementScript, PhoneWidth);
            problems.Add($"{path}: {width} px wide at {PhoneWidth} px ({culprit})");
        }
        // A Bangla word in a table cell must not be cut across two lines (overflow-wrap:anywhere cut them inside a
        // syllable, leaving a hasanta at the line end), on any page: every data table stacks into cards on a phone.
        var broken = await page.EvaluateAsync<string[]>(BrokenBanglaWordsScript);
        problems.AddRange(broken.Select(word => $"{path}: Bangla word \"{word}\" broken across lines in a table cell"));
        if (status >= 400 && await page.Locator("header.top nav").CountAsync() == 0)
        {
            problems.Add($"{path}: error {status} without the site frame");
        }
        // The same rules as page.RunAxe(), at a tenth of its time (AxeScan says why).
        foreach (var violation in (await AxeScan.ViolationsAsync(page)).Where(v => v.Impact is "serious" or "critical"))
        {
            if (KnownAxeIssues.Any(k => path.StartsWith(k.Path, StringComparison.Ordinal) && k.Rule == violation.Id)) continue;
            problems.Add($"{path}: axe {violation.Impact} {violation.Id} at {string.Join(", ", violation.Targets)}");
        }
    }

    /// <summary>Bangla words in table cells whose glyphs sit on more than one line (a word cut by wrapping).</summary>
    private const string BrokenBanglaWordsScript = """
        () => {
          const broken = [];
          for (const cell of document.querySelectorAll('main td, main th')) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              for (const m of node.data.matchAll(/[\u0980-\u09FF]+/g)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (tops.size > 1) broken.push(m[0]);
              }
            }
          }
          return broken.slice(0, 5);
        }
        """;

    /// <summary>The deepest element sticking out of the viewport, to name in the message.</summary>
    private const string WidestElementScript = """
        (limit) => {
          let worst = null;
          for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.right > limit + 1 && r.width > 0) worst = e;
          }
          if (!worst) return 'no element';
          const r = worst.getBoundingClientRect();
          return worst.tagName.toLowerCase() + (worst.id ? '#' + worst.id : '') + (worst.className ? '.' + String(worst.className).replace(/ /g, '.') : '') + ' right=' + Math.round(r.right);
        }
        """;

    private static async Task<IReadOnlyList<string>> LinksAsync(IPage page, string baseUrl)
    {
        var hrefs = await page.EvalOnSelectorAllAsync<string[]>("a[href]:not([download])", "links => links.map(a => a.href)");
        var links = new List<string>();
        foreach (var href in hrefs)
        {
            if (!Uri.TryCreate(href, UriKind.Absolute, out var uri) || !href.StartsWith(baseUrl + "/", StringComparison.Ordinal)) continue; // external
            var path = uri.PathAndQuery;
            if (NotCrawled.Any(n => path.StartsWith(n, StringComparison.OrdinalIgnoreCase))) continue;
            if (uri.AbsolutePath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || uri.AbsolutePath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) continue; // downloads
            links.Add(path);
        }
        return links;
    }

    /// <summary>
    /// Sends each create/edit form of the page once with its fields emptied and one text field typed, then checks the
    /// answer: at least one field error, every error in Bangla and described-by an invalid field, the typed text kept.
    /// </summary>
    private static async Task SendFormsEmptyAsync(IPage page, string url, string path, string language, HashSet<string> formsSent, List<string> problems)
    {
        var candidates = await page.EvalOnSelectorAllAsync<FormInfo[]>("main form[method=post], main form[method=POST]", FormsScript);
        // The page is still as the crawl loaded it (the checks only read it): the first form needs no reload of its own.
        var untouched = true;
        foreach (var form in candidates)
        {
            var key = FormKey(path, form.Action);
            if (NotCreateOrEdit.Concat(EmptyIsValid).Any(n => form.Action.Contains(n, StringComparison.OrdinalIgnoreCase)) || !formsSent.Add(key)) continue;
            if (!untouched) await page.GotoAsync(url);
            untouched = false;
            var marker = await page.EvaluateAsync<string?>(EmptyAndMarkScript, new object[] { form.Index, Marker });
            if (marker is null) { formsSent.Remove(key); continue; } // no text field to type into: not a create/edit form
            var where = $"{path} form {form.Action}";
            try
            {
                await page.EvaluateAsync(MarkSubmitScript, form.Index);
                await page.ClickAsync("[data-crawl-submit]"); // Playwright waits for the navigation a click starts
                await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                problems.Add($"{where}: could not be sent ({e.Message.Split('\n')[0]})");
                continue;
            }
            if (await CheckFieldErrorsAsync(page, where, language, problems) == 0) continue;
            if (marker.Length == 0) continue;
            var kept = await page.EvaluateAsync<bool>("name => [...document.querySelectorAll('main form [name]')].some(f => f.getAttribute('name') === name && f.value === '" + Marker + "')", marker);
            if (!kept) problems.Add($"{where}: the text typed into '{marker}' was lost");
        }
    }

    /// <summary>
    /// The field errors on the page after a failed POST: each must be in the page's language and described-by an
    /// aria-invalid field; no error at all is a problem too. Returns how many there were.
    /// </summary>
    private static async Task<int> CheckFieldErrorsAsync(IPage page, string where, string language, List<string> problems)
    {
        var errors = await page.EvalOnSelectorAllAsync<ErrorInfo[]>(".field-error", """
            errs => errs.map(e => ({
              id: e.id, text: e.innerText,
              attached: !!e.id && [...document.querySelectorAll('[aria-invalid=true][aria-describedby]')]
                .some(f => f.getAttribute('aria-describedby').split(/\s+/).includes(e.id))
            }))
            """);
        if (errors.Length == 0)
        {
            var summary = await page.Locator(".error-summary, .error").AllInnerTextsAsync();
            problems.Add($"{where}: no field error after an empty submission (at {new Uri(page.Url).PathAndQuery}; other errors: {string.Join(" | ", summary)})");
            return 0;
        }
        foreach (var e in errors)
        {
            var bangla = e.Text.Any(c => c is >= '\u0980' and <= '\u09FF');
            if (language == "bn" && !bangla) problems.Add($"{where}: error not in Bangla: \"{e.Text}\"");
            if (language == "en" && (bangla || !e.Text.Any(char.IsAsciiLetter))) problems.Add($"{where}: error not in English: \"{e.Text}\"");
            if (!e.Attached) problems.Add($"{where}: error \"{e.Text}\" (#{e.Id}) not described-by an aria-invalid field");
        }
        return errors.Length;
    }

    private static string PageKind(string pathAndQuery) =>
        System.Text.RegularExpressions.Regex.Replace(pathAndQuery.Split('?')[0], @"/[0-9A-Za-z-]*\d[0-9A-Za-z-]*", "/{id}");

    private static string FormKey(string path, string action) =>
        // One form per kind: ids in the path and query do not make another form.
        System.Text.RegularExpressions.Regex.Replace(new Uri(new Uri("http://x"), action).PathAndQuery, @"/[0-9A-Za-z-]*\d[0-9A-Za-z-]*", "/{id}");

    // Classes with setters: Playwright's result converter needs a parameterless constructor.
    private sealed class FormInfo
    {
        public int Index { get; set; }
        public string Action { get; set; } = "";
    }

    private sealed class ErrorInfo
    {
        public string Id { get; set; } = "";
        public string Text { get; set; } = "";
        public bool Attached { get; set; }
    }

    private const string FormsScript = """
        forms => forms.map(f => ({ index: [...document.querySelectorAll('main form')].indexOf(f), action: f.getAttribute('action') || location.pathname + location.search }))
        """;

    /// <summary>
    /// Opens the form if it is folded away, empties every text-like field, select and textarea, drops required, and types
    /// the marker into one text field: an optional one where there is one, so that the required fields stay empty; none
    /// when the only text field is required (typing there would make the form valid). Returns the typed field's name,
    /// "" when nothing was typed, null when the form has no text field at all (an action button, not a create/edit form).
    /// </summary>
    private const string EmptyAndMarkScript = """
        ([index, marker]) => {
          const form = document.querySelectorAll('main form')[index];
          for (let d = form.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) d.open = true;
          const isText = f => f.name && (f.tagName === 'TEXTAREA' || (f.tagName === 'INPUT' && (f.getAttribute('type') || 'text').toLowerCase() === 'text')) && f.offsetParent !== null;
          const texts = [...form.querySelectorAll('input, textarea')].filter(isText);
          if (texts.length === 0) return null;
          const target = texts.find(f => !f.hasAttribute('required')) || (texts.length > 1 ? texts[0] : null);
          for (const f of form.querySelectorAll('input, textarea, select')) {
            f.removeAttribute('required');
            const type = (f.getAttribute('type') || 'text').toLowerCase();
            if (f.tagName === 'SELECT') { if ([...f.options].some(o => o.value === '')) f.value = ''; continue; }
            if (['hidden', 'checkbox', 'radio', 'submit', 'button', 'file'].includes(type)) continue;
            f.value = '';
          }
          if (!target) return '';
          target.value = marker;
          return target.name;
        }
        """;

    /// <summary>Marks the form's main submit button (the primary one, else the first without its own formaction) for a real click.</summary>
    private const string MarkSubmitScript = """
        index => {
          const form = document.querySelectorAll('main form')[index];
          const buttons = [...form.querySelectorAll('button[type=submit], button:not([type]), input[type=submit]')];
          const button = buttons.find(b => b.classList.contains('primary')) || buttons.find(b => !b.hasAttribute('formaction')) || buttons[0];
          button.setAttribute('data-crawl-submit', '');
        }
        """;

    /// <summary>A user of the role in the world's "own" organisations (the seeker's own account), and whether they are staff.</summary>
    private static async Task<(string UserName, bool Staff)> UserAsync(SecurityWorld world, BrowserApp app, string role)
    {
        if (role == Roles.JobSeeker)
        {
            await using var c = await world.App.Database.DataSource.OpenConnectionAsync();
            var userId = await c.ExecuteScalarAsync<Guid>("SELECT user_id FROM seeker WHERE id = @id", new { id = world.Own.Seeker.Id });
            return ((await TestUsers.FindAsync(app.Services, userId)).UserName!, false);
        }
        Guid? organisation = role switch
        {
            Roles.Employer => world.Own.Employer.Id,
            Roles.CaseWorker => world.Own.Worker.AgencyId,
            Roles.TrainingProvider => world.Own.ProviderId,
            Roles.ChamberAdmin => JobMatch.Chambers.MembershipBodies.Ids["chamber"],
            _ => await TestUsers.CreateOrganisationAsync(app.Services, "platform"),
        };
        var user = await TestUsers.CreateUserAsync(app.Services, role, organisation);
        return (user.UserName!, SecondFactor.IsStaff(role));
    }
}
