using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FsCheck;
using FsCheck.Fluent;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;
using JobMatch.Tests.Vacancies;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace JobMatch.Tests.Matching;

/// <summary>
/// The one rule as a state machine: random sequences of safety changes (do-not-match on employer, sector, upazila;
/// consent withdrawn and granted again; placed; erased; employer suspended) mixed with proposing, approving, inviting
/// and answering, on the real app. The test keeps its own model of what the case worker and admin decided (not the
/// database's view of it) and after every step asks every employer-facing read — shortlist API and page, candidate
/// API and page — and the review queue: a seeker the model forbids must be nowhere, and one it permits must be there
/// whenever the match is in a state the employer sees (so the check cannot pass by showing nothing).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SafetyRuleStateMachineTests(PostgresFixture database, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Sequences = 24;
    private const int RunBudget = Sequences + 16;
    /// <summary>A skill no other test uses, so other tests' seekers never crowd these vacancies.</summary>
    private const string Skill = "FSH-012";

    public enum Op { BlockEmployer, BlockSector, BlockUpazila, ClearRules, WithdrawConsent, GrantConsent, Place, Erase, Suspend, Propose, Approve, Invite, Accept }

    public sealed record Step(Op Op, int Vacancy)
    {
        public override string ToString() => $"{Op}(v{Vacancy})";
    }

    /// <summary>Two vacancies at two employers, in different sectors and upazilas, so each rule hits one and spares the other.</summary>
    private static readonly (string Sector, string Upazila)[] Places = [("garments", "coxs_bazar_sadar"), ("hospitality", "ramu")];

    private JobMatchApp _app = null!;
    private HttpClient _caseWorker = null!;
    private HttpClient _admin = null!;
    /// <summary>Signed in once (sign-in is rate limited per address): two employers for the vacancies, one that hires elsewhere.</summary>
    private readonly (HttpClient Client, Guid Id)[] _employers = new (HttpClient, Guid)[3];
    private int _runs;
    private int _steps;

    public async Task InitializeAsync()
    {
        _app = new JobMatchApp(database, FlowWorld.Settings());
        (_caseWorker, _) = await _app.SignedInClientAsync(Roles.CaseWorker);
        await JobMatchApp.UseApiTokenAsync(_caseWorker);
        (_admin, _) = await _app.SignedInClientAsync(Roles.Admin);
        await JobMatchApp.UseApiTokenAsync(_admin);
        for (var i = 0; i < _employers.Length; i++) _employers[i] = await BoardTestData.EmployerClientAsync(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void NoEmployerReadShowsAForbiddenSeeker_AfterAnyStep_OfRandomSequences()
    {
        var step = from op in Gen.Frequency(
                       (2, Gen.Constant(Op.BlockEmployer)), (2, Gen.Constant(Op.BlockSector)), (2, Gen.Constant(Op.BlockUpazila)),
                       (2, Gen.Constant(Op.ClearRules)), (2, Gen.Constant(Op.WithdrawConsent)), (2, Gen.Constant(Op.GrantConsent)),
                       (1, Gen.Constant(Op.Place)), (1, Gen.Constant(Op.Erase)), (1, Gen.Constant(Op.Suspend)),
                       (4, Gen.Constant(Op.Propose)), (4, Gen.Constant(Op.Approve)), (3, Gen.Constant(Op.Invite)), (3, Gen.Constant(Op.Accept)))
                   from vacancy in Gen.Choose(0, 1)
                   select new Step(op, vacancy);
        var sequences = Gen.Choose(2, 10).SelectMany(n => step.ArrayOf(n));
        var arbitrary = Arb.From(sequences, s => Enumerable.Range(0, s.Length).Select(i => s.Where((_, j) => j != i).ToArray()));
        var property = Prop.ForAll(arbitrary, (Step[] steps) =>
        {
            if (Interlocked.Increment(ref _runs) > RunBudget) return;
            Task.Run(() => RunAsync(steps)).GetAwaiter().GetResult();
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Sequences), property);
        output.WriteLine($"{_runs} sequences, {_steps} steps");
    }

    [Theory]
    [InlineData("Propose:0 Approve:0 BlockEmployer:0 Approve:0")]
    [InlineData("Propose:1 Approve:1 Invite:1 Accept:1 WithdrawConsent:0 BlockUpazila:1")]
    [InlineData("Propose:0 Approve:0 Invite:0 Suspend:0 Propose:1 Approve:1")]
    [InlineData("Propose:0 WithdrawConsent:0 GrantConsent:0 Propose:0 Approve:0 Place:0")]
    [InlineData("BlockSector:0 Place:0")]
    public async Task NoEmployerReadShowsAForbiddenSeeker_ForKnownSequence(string sequence)
    {
        var steps = sequence.Split(' ').Select(s => s.Split(':')).Select(p => new Step(Enum.Parse<Op>(p[0]), int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        await RunAsync(steps);
    }

    /// <summary>What the case worker and the admin decided, kept by the test independently of the database.</summary>
    private sealed class Model
    {
        public HashSet<int> BlockedEmployers { get; } = [];
        public HashSet<int> BlockedSectors { get; } = [];
        public HashSet<int> BlockedUpazilas { get; } = [];
        public HashSet<int> Suspended { get; } = [];
        public bool Consent { get; set; } = true;
        public bool Placed { get; set; }
        public bool Erased { get; set; }

        /// <summary>The rule, restated: after the person's own answer only erasure, suspension and do-not-match still forbid.</summary>
        public bool Forbids(int v, string status) =>
            Erased || Suspended.Contains(v) || BlockedEmployers.Contains(v) || BlockedSectors.Contains(v) || BlockedUpazilas.Contains(v)
            || (!MatchStatus.ContactMayShow.Contains(status) && status != MatchStatus.Declined && (!Consent || Placed));
    }

    private sealed record World(long SeekerId, string Reference, Guid[] Employers, HttpClient[] Clients, long[] Vacancies);

    private async Task RunAsync(Step[] steps)
    {
        var world = await NewWorldAsync();
        var model = new Model();
        var history = new List<string>();
        foreach (var step in steps)
        {
            history.Add(step.ToString());
            Interlocked.Increment(ref _steps);
            try
            {
                await ApplyAsync(world, model, step);
                for (var v = 0; v < world.Vacancies.Length; v++) await CheckAsync(world, model, v);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidOperationException($"After {string.Join(", ", history)}: {e.Message}", e);
            }
        }
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync("UPDATE seeker SET status = 'withdrawn' WHERE id = @SeekerId AND status <> 'erased'", world);
    }

    private async Task<World> NewWorldAsync()
    {
        var reference = await SeekerApi.RegisterAsync(_caseWorker, SeekerApi.Canaries.New(), upazila: null);
        var skill = await _caseWorker.PutAsJsonAsync($"/api/casework/seekers/{reference}/skills/{Skill}", new { level = 3, source = "assessed", monthsExperience = 12 });
        skill.EnsureSuccessStatusCode();
        var sql = new MatchingWorld(database.DataSource);
        var employers = new Guid[2];
        var clients = new HttpClient[2];
        var vacancies = new long[2];
        await using var c = await database.DataSource.OpenConnectionAsync();
        for (var v = 0; v < 2; v++)
        {
            (clients[v], employers[v]) = _employers[v];
            // A sequence may have suspended this employer: each sequence starts from a verified one (test set-up).
            await c.ExecuteAsync("UPDATE employer SET status = 'verified', suspended_reason = NULL WHERE organisation_id = @id", new { id = employers[v] });
            vacancies[v] = await sql.VacancyAsync(employers[v], (Skill, 1, true));
            await c.ExecuteAsync("UPDATE vacancy SET sector_code = @Sector, upazila_code = @Upazila WHERE id = @id",
                new { Places[v].Sector, Places[v].Upazila, id = vacancies[v] });
        }
        await c.ExecuteAsync("UPDATE seeker SET max_travel_km = NULL WHERE reference = @reference", new { reference });
        var seekerId = await c.ExecuteScalarAsync<long>("SELECT id FROM seeker WHERE reference = @reference", new { reference });
        return new World(seekerId, reference, employers, clients, vacancies);
    }

    private async Task ApplyAsync(World w, Model model, Step step)
    {
        var v = step.Vacancy;
        var match = await MatchAsync(w, v);
        switch (step.Op)
        {
            case Op.BlockEmployer: model.BlockedEmployers.Add(v); await SaveRulesAsync(w, model); break;
            case Op.BlockSector: model.BlockedSectors.Add(v); await SaveRulesAsync(w, model); break;
            case Op.BlockUpazila: model.BlockedUpazilas.Add(v); await SaveRulesAsync(w, model); break;
            case Op.ClearRules:
                model.BlockedEmployers.Clear(); model.BlockedSectors.Clear(); model.BlockedUpazilas.Clear();
                await SaveRulesAsync(w, model);
                break;
            case Op.WithdrawConsent:
                if (model.Erased || await ConsentIdAsync(w) is not { } id) break;
                (await _caseWorker.PostAsync($"/api/casework/seekers/{w.Reference}/consents/{id}/withdraw", null)).EnsureSuccessStatusCode();
                model.Consent = false;
                break;
            case Op.GrantConsent:
                if (model.Erased) break;
                (await _caseWorker.PostAsJsonAsync($"/api/casework/seekers/{w.Reference}/consents", new { purpose = "matching", method = "in_person" })).EnsureSuccessStatusCode();
                model.Consent = true;
                break;
            case Op.Place:
                if (model.Erased || model.Placed) break;
                await PlaceAsync(w);
                model.Placed = true;
                break;
            case Op.Erase:
                (await _caseWorker.DeleteAsync($"/api/casework/seekers/{w.Reference}")).EnsureSuccessStatusCode();
                model.Erased = true;
                break;
            case Op.Suspend:
                (await _admin.PostAsJsonAsync($"/api/employers/{w.Employers[v]}/suspend", new { reason = "Complaint" })).EnsureSuccessStatusCode();
                model.Suspended.Add(v);
                break;
            case Op.Propose:
            {
                await using var scope = _app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<MatchProposer>().ProposeForVacancyAsync(w.Vacancies[v], CancellationToken.None);
                break;
            }
            case Op.Approve:
            {
                if (match is null) break;
                var approved = await _caseWorker.PostAsync($"/api/casework/review/{match.Id}/approve", null);
                Assert.False(approved.IsSuccessStatusCode && model.Forbids(v, match.Status), "a forbidden proposal was approved");
                break;
            }
            case Op.Invite:
            {
                if (match is null) break;
                var invited = await w.Clients[v].PostAsync($"/api/employer/vacancies/{w.Vacancies[v]}/candidates/{match.Handle}/invite", null);
                Assert.False(invited.IsSuccessStatusCode && model.Forbids(v, match.Status), "a forbidden candidate was invited");
                break;
            }
            case Op.Accept:
            {
                if (match is null) break;
                var accepted = await _caseWorker.PostAsJsonAsync($"/api/casework/offers/{match.Id}/accept", new { seekerAgreed = true });
                Assert.False(accepted.IsSuccessStatusCode && model.Forbids(v, match.Status), "a forbidden offer was accepted");
                break;
            }
        }
    }

    /// <summary>Every employer-facing read of the vacancy, and the review queue, against the model.</summary>
    private async Task CheckAsync(World w, Model model, int v)
    {
        var match = await MatchAsync(w, v);
        if (match is null) return;
        var forbidden = model.Forbids(v, match.Status);
        var shouldShow = !forbidden && MatchStatus.VisibleToEmployer.Contains(match.Status);
        var client = w.Clients[v];
        var vacancy = w.Vacancies[v];
        var shortlistApi = await (await client.GetAsync($"/api/employer/vacancies/{vacancy}/shortlist")).Content.ReadAsStringAsync();
        var shortlistPage = await (await client.GetAsync($"/employer/vacancies/{vacancy}/shortlist")).Content.ReadAsStringAsync();
        var cardApi = await client.GetAsync($"/api/employer/vacancies/{vacancy}/candidates/{match.Handle}");
        var cardPage = await client.GetAsync($"/employer/vacancies/{vacancy}/candidates/{match.Handle}");
        var review = await _caseWorker.GetFromJsonAsync<JsonElement>("/api/casework/review?page=1");
        var inReview = review.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("matchId").GetInt64() == match.Id);

        var state = $"v{v} match {match.Status}, forbidden {forbidden}";
        Assert.True(shortlistApi.Contains(match.Handle) == shouldShow, $"shortlist API: {state}");
        Assert.True(shortlistPage.Contains(match.Handle) == shouldShow, $"shortlist page: {state}");
        Assert.True(cardApi.IsSuccessStatusCode == shouldShow, $"candidate API {(int)cardApi.StatusCode}: {state}");
        Assert.True(cardPage.IsSuccessStatusCode == shouldShow, $"candidate page {(int)cardPage.StatusCode}: {state}");
        Assert.True(inReview == (!forbidden && match.Status == MatchStatus.Proposed), $"review queue {inReview}: {state}");
        Assert.DoesNotContain(w.Reference, shortlistApi + shortlistPage);
    }

    private async Task SaveRulesAsync(World w, Model model)
    {
        if (model.Erased) return;
        var current = await _caseWorker.GetFromJsonAsync<JsonElement>($"/api/casework/seekers/{w.Reference}");
        var rules = new
        {
            blockedEmployerIds = model.BlockedEmployers.Select(v => w.Employers[v]).ToArray(),
            blockedSectors = model.BlockedSectors.Select(v => Places[v].Sector).ToArray(),
            blockedUpazilas = model.BlockedUpazilas.Select(v => Places[v].Upazila).ToArray(),
        };
        (await _caseWorker.PutAsJsonAsync($"/api/casework/seekers/{w.Reference}/rules", new { version = current.GetProperty("version").GetInt64(), rules }))
            .EnsureSuccessStatusCode();
    }

    /// <summary>A third employer hires the seeker through its API (the real path to 'placed').</summary>
    private async Task PlaceAsync(World w)
    {
        var (client, employerId) = _employers[2];
        var vacancy = await new MatchingWorld(database.DataSource).VacancyAsync(employerId, (Skill, 1, true));
        var matchId = await new OffersWorld(_app).MatchAsync(w.SeekerId, vacancy, "accepted");
        await using var c = await database.DataSource.OpenConnectionAsync();
        // Somewhere no rule of the sequence reaches, so the hire itself is never forbidden.
        await c.ExecuteAsync("UPDATE vacancy SET sector_code = 'handicrafts', upazila_code = 'teknaf' WHERE id = @vacancy", new { vacancy });
        var handle = await c.ExecuteScalarAsync<string>("SELECT handle FROM match WHERE id = @matchId", new { matchId });
        (await client.PostAsJsonAsync($"/api/employer/vacancies/{vacancy}/candidates/{handle}/outcome",
            new { outcome = "hired", startDate = DateTime.UtcNow.ToString("yyyy-MM-dd"), monthlyWageBdt = 14000, writtenContract = true })).EnsureSuccessStatusCode();
    }

    private sealed record MatchRow(long Id, string Status, string Handle);

    private async Task<MatchRow?> MatchAsync(World w, int v)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.QuerySingleOrDefaultAsync<MatchRow>(
            "SELECT id, status, handle FROM match WHERE seeker_id = @SeekerId AND vacancy_id = @vacancy", new { w.SeekerId, vacancy = w.Vacancies[v] });
    }

    private async Task<long?> ConsentIdAsync(World w)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long?>(
            "SELECT id FROM consent WHERE seeker_id = @SeekerId AND purpose = 'matching' AND withdrawn_at IS NULL", new { w.SeekerId });
    }
}
