using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Dapper;
using JobMatch.Matching;
using JobMatch.Reports;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace JobMatch.Tests.Matching;

/// <summary>Seeker pages: Bangla by default, the quick-exit link everywhere, no case information; every text key exists.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class OffersPagesTests(PostgresFixture database) : IAsyncLifetime
{
    private JobMatchApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new JobMatchApp(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EverySeekerPage_RendersBanglaByDefault_WithQuickExit_AndNoCaseInformation()
    {
        // The real path: a case worker registers the person (no language given) and sets their password; they sign in by phone.
        var caseWorker = await SeekerApi.CaseWorkerAsync(_app);
        var canaries = SeekerApi.Canaries.New();
        var registered = await caseWorker.PostAsJsonAsync("/api/casework/seekers", new
        {
            fullName = canaries.Name, phone = canaries.Phone, email = canaries.Email, address = canaries.Address,
            matchingConsentMethod = "in_person",
            profile = new { upazilaCode = "ukhia", educationLevel = 2, languages = new[] { "bn" }, wants = "wage", gender = "F", birthYear = 1999 },
        });
        var reference = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
        await SeekerApi.WriteCaseFileAsync(caseWorker, reference, canaries);
        Assert.Equal(HttpStatusCode.NoContent,
            (await caseWorker.PostAsJsonAsync($"/api/casework/seekers/{reference}/password", new { password = JobMatchApp.Password })).StatusCode);
        var world = new OffersWorld(_app);
        var (_, vacancy) = await world.VacancyAsync("Sewing machine operator", "সেলাই মেশিন অপারেটর");
        long seekerId;
        await using (var c = await database.DataSource.OpenConnectionAsync())
        {
            seekerId = await c.ExecuteScalarAsync<long>("SELECT id FROM seeker WHERE reference = @reference", new { reference });
        }
        var match = await world.MatchAsync(seekerId, vacancy);
        var seeker = _app.CreatePlainClient();
        seeker.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US"); // an English phone: the account's Bangla still wins
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(seeker, canaries.Phone, JobMatchApp.Password)).StatusCode);

        var paths = SeekerPagePaths(match);
        Assert.True(paths.Count >= 2, "expected the offers list and the offer page");
        foreach (var path in paths)
        {
            var response = await seeker.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Contains("<html lang=\"bn\">", html);
            Assert.Contains("class=\"quick-exit\"", html);
            Assert.Contains("সেলাই মেশিন অপারেটর", html);
            foreach (var canary in canaries.All)
            {
                Assert.DoesNotContain(canary, html);
            }
            Assert.DoesNotContain("trafficking", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("survivor", html, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("আমার কাজের প্রস্তাব", await seeker.GetStringAsync("/me/offers"));
        Assert.Contains("নাম ও ফোন নম্বর", await seeker.GetStringAsync($"/me/offers/{match}"));
    }

    /// <summary>Every page under /me, with route values filled in from the given match id.</summary>
    private List<string> SeekerPagePaths(long matchId) =>
        _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/'))
            .Where(p => p == "/me" || p.StartsWith("/me/", StringComparison.Ordinal))
            .Distinct()
            .Select(p => RouteParameter().Replace(p, matchId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public void EveryTextKeyUsedByOffersCheckinsAndProgrammePages_ExistsInEnglishAndBangla()
    {
        var src = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/JobMatch"));
        var resources = new (string Prefix, string Resx)[]
        {
            ("O", "Matching/OfferText"), ("C", "Matching/CheckinText"), ("R", "Reports/ReportText"),
        };
        var pages = new[] { "Pages/Me", "Pages/CaseWork/Offers.cshtml", "Pages/Employer/Checkins.cshtml", "Pages/Admin/Programme.cshtml" }
            .SelectMany(p => Directory.Exists(Path.Combine(src, p)) ? Directory.GetFiles(Path.Combine(src, p), "*.cshtml") : [Path.Combine(src, p)])
            .ToList();
        var missing = new List<string>();
        foreach (var (prefix, resx) in resources)
        {
            var en = Keys(Path.Combine(src, resx + ".resx"));
            var bn = Keys(Path.Combine(src, resx + ".bn.resx"));
            var used = pages.SelectMany(p => Regex.Matches(File.ReadAllText(p), $@"\b{prefix}\[""([A-Za-z_]+)""").Select(m => m.Groups[1].Value))
                .Where(k => !k.EndsWith('_')); // a prefix ("Status_" + status): covered by the built keys below
            // Keys built from a prefix and a value: every value must have its key.
            var built = prefix switch
            {
                "O" => MatchStatus.All.Select(s => "Status_" + s).Concat(OfferAnswers.DeclineReasons.Select(r => "Reason_" + r))
                    .Concat(["Done_accepted", "Done_declined", "Done_withdrawn", "Checkin_left", "Checkin_no_answer"]),
                "C" => CheckinAnswers.LeftReasons.Select(r => "LeftReason_" + r),
                _ => ProgrammeFigures.Stages.Select(s => "Stage_" + s).Concat(["Gender_F", "Gender_M", "Gender_X", "NotRecorded"])
                    .Concat(new[] { "sector", "upazila", "gender" }.Select(d => "Breakdown_" + d)),
            };
            foreach (var key in used.Concat(built).Distinct())
            {
                if (!en.Contains(key) || !bn.Contains(key)) missing.Add($"{resx}: {key}");
            }
        }
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    private static HashSet<string> Keys(string path) =>
        XDocument.Load(path).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet();
}
