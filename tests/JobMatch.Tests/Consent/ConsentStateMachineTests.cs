using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FsCheck;
using FsCheck.Fluent;
using JobMatch.Consent;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.MatchingContract;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;
using JobMatch.Tests.Seekers;
using JobMatch.Tests.Vacancies;
using Xunit.Abstractions;

namespace JobMatch.Tests.Consent;

/// <summary>
/// R2 as a state machine: random sequences of consent grants, withdrawals and expiries, match proposals, invitations,
/// relayed answers and employer views run against the real app and database. A tiny model (the set of consents that
/// should be active) predicts what the employer may see; after every step the database and the API must agree with it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConsentStateMachineTests(PostgresFixture database, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Sequences per run; each builds its own seeker and two vacancies, so they are independent.</summary>
    private const int Sequences = 40;

    /// <summary>Runs including shrinking; past it every run passes, which ends shrinking and bounds the test's time.</summary>
    private const int RunBudget = Sequences + 40;

    /// <summary>A skill no other test uses, so other tests' seekers never crowd these vacancies.</summary>
    private const string Skill = "FSH-013";

    public enum Op { GrantMatching, WithdrawMatching, GrantNotifications, WithdrawNotifications, GrantShare, WithdrawShare, Expire, RunExpiryJob, Propose, Invite, RelayAccept, RelayWithdraw, EmployerView }

    public sealed record Step(Op Op, int Vacancy, string Purpose)
    {
        public override string ToString() => Op == Op.Expire ? $"Expire({Purpose},v{Vacancy})" : $"{Op}(v{Vacancy})";
    }

    private JobMatchApp _app = null!;
    private HttpClient _caseWorker = null!;
    private HttpClient _employer = null!;
    private Guid _employerId;
    private Guid _agencyId;
    private int _runs;
    private int _steps;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Op, int> _ops = new();

    public async Task InitializeAsync()
    {
        _app = new JobMatchApp(database, new Dictionary<string, string?>
        {
            ["Matching:TopK"] = "500",
            ["Matching:CandidateViewsPerHour"] = "100000",
        });
        var (caseWorker, user) = await _app.SignedInClientAsync(Roles.CaseWorker);
        await JobMatchApp.UseApiTokenAsync(caseWorker);
        _caseWorker = caseWorker;
        _agencyId = user.OrganisationId!.Value;
        await using var c = await database.DataSource.OpenConnectionAsync();
        // Proposals go straight to the employer, so a sequence reaches invitations and answers in few steps.
        await c.ExecuteAsync("UPDATE organisation SET requires_match_review = false WHERE id = @_agencyId", new { _agencyId });
        (_employer, _employerId) = await BoardTestData.EmployerClientAsync(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void ConsentRules_HoldAfterEveryStep_ForRandomSequences()
    {
        var purposes = Gen.Elements("matching", "notifications", "share_contact");
        var step = from op in Gen.Frequency(
                       (3, Gen.Constant(Op.GrantMatching)), (2, Gen.Constant(Op.WithdrawMatching)), (1, Gen.Constant(Op.GrantNotifications)),
                       (1, Gen.Constant(Op.WithdrawNotifications)), (2, Gen.Constant(Op.GrantShare)), (2, Gen.Constant(Op.WithdrawShare)),
                       (2, Gen.Constant(Op.Expire)), (1, Gen.Constant(Op.RunExpiryJob)), (3, Gen.Constant(Op.Propose)),
                       (3, Gen.Constant(Op.Invite)), (3, Gen.Constant(Op.RelayAccept)), (2, Gen.Constant(Op.RelayWithdraw)),
                       (4, Gen.Constant(Op.EmployerView)))
                   from vacancy in Gen.Choose(0, 1)
                   from purpose in purposes
                   select new Step(op, vacancy, purpose);
        var sequences = Gen.Choose(1, 14).SelectMany(n => step.ArrayOf(n));
        // Shrink by dropping one step at a time: a failing sequence gets shorter until every step matters.
        var arbitrary = Arb.From(sequences, s => Enumerable.Range(0, s.Length).Select(i => s.Where((_, j) => j != i).ToArray()));

        var property = Prop.ForAll(arbitrary, (Step[] steps) =>
        {
            if (Interlocked.Increment(ref _runs) > RunBudget) return;
            Task.Run(() => RunAsync(steps)).GetAwaiter().GetResult();
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Sequences), property);
        output.WriteLine($"{_runs} sequences, {_steps} steps: " + string.Join(", ", _ops.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
    }

    /// <summary>Sequences the random search found (or that matter most), kept as plain regression cases.</summary>
    [Theory]
    [InlineData("GrantMatching Expire:matching GrantMatching")]
    [InlineData("GrantShare Expire:share_contact GrantShare EmployerView")]
    [InlineData("GrantMatching Propose Invite RelayAccept EmployerView RelayWithdraw EmployerView")]
    [InlineData("GrantMatching Propose Invite RelayAccept Expire:share_contact EmployerView RunExpiryJob RelayAccept EmployerView")]
    [InlineData("GrantMatching Propose WithdrawMatching EmployerView Invite Propose GrantMatching Invite")]
    public async Task ConsentRules_Hold_ForKnownSequence(string sequence)
    {
        var steps = sequence.Split(' ').Select(s => s.Split(':')).Select(p => new Step(Enum.Parse<Op>(p[0]), 0, p.Length > 1 ? p[1] : "matching")).ToArray();
        await RunAsync(steps);
    }

    /// <summary>What should be true: the consents that are active, as (purpose, vacancy index or -1).</summary>
    private sealed class Model
    {
        public HashSet<(string Purpose, int Vacancy)> Active { get; } = [];
        public bool Matchable => Active.Contains(("matching", -1));
        public bool Shares(int v) => Active.Contains(("share_contact", v));
    }

    private sealed record World(long SeekerId, string Reference, long[] Vacancies);

    private async Task RunAsync(Step[] steps)
    {
        var world = await NewWorldAsync();
        var model = new Model();
        var history = new List<string>();
        foreach (var step in steps)
        {
            history.Add(step.ToString());
            Interlocked.Increment(ref _steps);
            _ops.AddOrUpdate(step.Op, 1, (_, n) => n + 1);
            try
            {
                await ApplyAsync(world, model, step);
                await CheckInvariantsAsync(world, model);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidOperationException($"After {string.Join(", ", history)}: {e.Message}", e);
            }
        }
        // Retire the seeker so later sequences' proposals are not crowded by it.
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync("UPDATE seeker SET status = 'placed' WHERE id = @SeekerId", world);
    }

    private async Task<World> NewWorldAsync()
    {
        var reference = await SeekerApi.RegisterAsync(_caseWorker, SeekerApi.Canaries.New(), consent: false, upazila: "coxs_bazar_sadar");
        var skill = await _caseWorker.PutAsJsonAsync($"/api/casework/seekers/{reference}/skills/{Skill}", new { level = 3, source = "assessed", monthsExperience = 12 });
        Assert.Equal(HttpStatusCode.NoContent, skill.StatusCode);
        var matching = new MatchingWorld(database.DataSource);
        long[] vacancies = [await matching.VacancyAsync(_employerId, (Skill, 1, true)), await matching.VacancyAsync(_employerId, (Skill, 1, true))];
        await using var c = await database.DataSource.OpenConnectionAsync();
        var seekerId = await c.ExecuteScalarAsync<long>("SELECT id FROM seeker WHERE reference = @reference", new { reference });
        return new World(seekerId, reference, vacancies);
    }

    private async Task ApplyAsync(World w, Model model, Step step)
    {
        var v = step.Vacancy;
        var vacancyId = w.Vacancies[v];
        switch (step.Op)
        {
            case Op.GrantMatching or Op.GrantNotifications or Op.GrantShare:
            {
                var purpose = step.Op switch { Op.GrantMatching => "matching", Op.GrantNotifications => "notifications", _ => "share_contact" };
                var share = purpose == "share_contact";
                var response = await _caseWorker.PostAsJsonAsync($"/api/casework/seekers/{w.Reference}/consents",
                    new { purpose, method = "by_phone", employerId = share ? _employerId : (Guid?)null, vacancyId = share ? vacancyId : (long?)null,
                        channels = purpose == "notifications" ? new[] { "sms" } : null });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                model.Active.Add((purpose, share ? v : -1));
                break;
            }
            case Op.WithdrawMatching or Op.WithdrawNotifications or Op.WithdrawShare:
            {
                var purpose = step.Op switch { Op.WithdrawMatching => "matching", Op.WithdrawNotifications => "notifications", _ => "share_contact" };
                var key = (purpose, purpose == "share_contact" ? v : -1);
                var id = await OpenConsentIdAsync(w, purpose, purpose == "share_contact" ? vacancyId : null);
                if (id is null)
                {
                    // Nothing to withdraw: a made-up or already closed id must be refused.
                    var refused = await _caseWorker.PostAsync($"/api/casework/seekers/{w.Reference}/consents/{long.MaxValue}/withdraw", null);
                    Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
                    break;
                }
                var response = await _caseWorker.PostAsync($"/api/casework/seekers/{w.Reference}/consents/{id}/withdraw", null);
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                var again = await _caseWorker.PostAsync($"/api/casework/seekers/{w.Reference}/consents/{id}/withdraw", null);
                Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
                model.Active.Remove(key);
                break;
            }
            case Op.Expire:
            {
                // Time passes for one consent: its end date is now behind us (the job that closes it may or may not run).
                await using var c = await database.DataSource.OpenConnectionAsync();
                await c.ExecuteAsync(
                    """
                    UPDATE consent SET granted_at = LEAST(granted_at, now() - interval '2 seconds'), expires_at = now() - interval '1 second'
                    WHERE seeker_id = @SeekerId AND purpose = @purpose AND COALESCE(vacancy_id, 0) = @vacancy
                      AND withdrawn_at IS NULL AND (expires_at IS NULL OR expires_at > now())
                    """, new { w.SeekerId, purpose = step.Purpose, vacancy = step.Purpose == "share_contact" ? vacancyId : 0 });
                model.Active.Remove((step.Purpose, step.Purpose == "share_contact" ? v : -1));
                break;
            }
            case Op.RunExpiryJob:
                await _app.Services.GetRequiredService<ConsentQueries>().ExpireAsync(CancellationToken.None);
                break;
            case Op.Propose:
            {
                var before = await MatchAsync(w, vacancyId);
                await using (var scope = _app.Services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<MatchProposer>().ProposeForVacancyAsync(vacancyId, CancellationToken.None);
                }
                var after = await MatchAsync(w, vacancyId);
                // Without consent nothing new is proposed; an existing match may only stay as it was or be withdrawn.
                if (!model.Matchable) Assert.True(before is null ? after is null : after == before || after?.Status == MatchStatus.Withdrawn,
                    $"proposal changed without matching consent: {before} → {after}");
                else if (before is null) Assert.True(after is { Status: MatchStatus.Shown }, "a matchable seeker with the skill was not proposed");
                break;
            }
            case Op.Invite:
            {
                var before = await MatchAsync(w, vacancyId);
                var response = await _employer.PostAsync($"/api/employer/vacancies/{vacancyId}/candidates/{before?.Handle ?? NoHandle}/invite", null);
                var expected = before is { Status: MatchStatus.Shown } && model.Matchable;
                Assert.True(expected == response.IsSuccessStatusCode, $"invite answered {(int)response.StatusCode} with match {before}, matchable {model.Matchable}");
                break;
            }
            case Op.RelayAccept:
            {
                if (await MatchAsync(w, vacancyId) is not { } match) break;
                var response = await _caseWorker.PostAsJsonAsync($"/api/casework/offers/{match.Id}/accept", new { seekerAgreed = true });
                Assert.True((match.Status == MatchStatus.Invited) == response.IsSuccessStatusCode, $"accept answered {(int)response.StatusCode} in {match.Status}");
                if (response.IsSuccessStatusCode) model.Active.Add(("share_contact", v));
                break;
            }
            case Op.RelayWithdraw:
            {
                if (await MatchAsync(w, vacancyId) is not { } match) break;
                var response = await _caseWorker.PostAsync($"/api/casework/offers/{match.Id}/withdraw", null);
                if (model.Shares(v)) Assert.True(response.IsSuccessStatusCode, $"withdrawal of an active consent answered {(int)response.StatusCode}");
                if (response.IsSuccessStatusCode) model.Active.Remove(("share_contact", v));
                break;
            }
            case Op.EmployerView:
            {
                var match = await MatchAsync(w, vacancyId);
                var response = await _employer.GetAsync($"/api/employer/vacancies/{vacancyId}/candidates/{match?.Handle ?? NoHandle}");
                var committed = match is not null && MatchStatus.ContactMayShow.Contains(match.Status);
                var visible = match is not null && MatchStatus.VisibleToEmployer.Contains(match.Status) && (committed || model.Matchable);
                Assert.True(visible == (response.StatusCode == HttpStatusCode.OK), $"card answered {(int)response.StatusCode} with match {match}, matchable {model.Matchable}");
                if (!visible) break;
                var card = await response.Content.ReadFromJsonAsync<JsonElement>();
                var hasContact = card.TryGetProperty("contact", out var contact) && contact.ValueKind == JsonValueKind.Object;
                Assert.True(hasContact == (committed && model.Shares(v)), $"contact shown: {hasContact}, match {match}, share consent {model.Shares(v)}");
                break;
            }
        }
    }

    private async Task CheckInvariantsAsync(World w, Model model)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        var active = (await c.QueryAsync<(string Purpose, long? VacancyId, int Count)>(
            """
            SELECT purpose, vacancy_id, count(*)::int FROM consent
            WHERE seeker_id = @SeekerId AND withdrawn_at IS NULL AND (expires_at IS NULL OR expires_at > now())
            GROUP BY purpose, vacancy_id
            """, w)).ToList();
        Assert.All(active, a => Assert.True(a.Count == 1, $"{a.Count} active {a.Purpose} consents"));
        var actual = active.Select(a => (a.Purpose, a.VacancyId is { } id ? Array.IndexOf(w.Vacancies, id) : -1)).ToHashSet();
        Assert.True(model.Active.SetEquals(actual), $"active consents {Show(actual)}, expected {Show(model.Active)}");

        // Every closed consent (withdrawn by someone, or closed at its expiry) left an audit row saying so.
        var closed = await c.ExecuteScalarAsync<int>("SELECT count(*) FROM consent WHERE seeker_id = @SeekerId AND withdrawn_at IS NOT NULL", w);
        var audited = await c.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE subject = @subject AND (action LIKE 'consent_withdrawn_%' OR action LIKE 'consent_expired_%')",
            new { subject = "seeker:" + w.Reference });
        Assert.True(audited >= closed, $"{closed} consents closed but {audited} audit rows");

        // The services everything else asks agree with the model on this request, with no cache in between.
        var consents = _app.Services.GetRequiredService<ConsentQueries>();
        Assert.Equal(model.Matchable, await consents.IsMatchableAsync(w.SeekerId, CancellationToken.None));
        for (var v = 0; v < w.Vacancies.Length; v++)
        {
            Assert.Equal(model.Shares(v), await consents.HasContactConsentAsync(w.SeekerId, _employerId, w.Vacancies[v], CancellationToken.None));
        }
    }

    private static string Show(IEnumerable<(string Purpose, int Vacancy)> set) =>
        "{" + string.Join(", ", set.Order().Select(a => a.Vacancy < 0 ? a.Purpose : $"{a.Purpose}@v{a.Vacancy}")) + "}";

    private sealed record MatchRow(long Id, string Status, long Version, string Handle);

    /// <summary>A well-formed handle no match has, for asking about a card that does not exist.</summary>
    private const string NoHandle = "C-22222222";

    private async Task<MatchRow?> MatchAsync(World w, long vacancyId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.QuerySingleOrDefaultAsync<MatchRow>(
            "SELECT id, status, version, handle FROM match WHERE seeker_id = @SeekerId AND vacancy_id = @vacancyId", new { w.SeekerId, vacancyId });
    }

    private async Task<long?> OpenConsentIdAsync(World w, string purpose, long? vacancyId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long?>(
            """
            SELECT id FROM consent WHERE seeker_id = @SeekerId AND purpose = @purpose AND COALESCE(vacancy_id, 0) = COALESCE(@vacancyId, 0)
              AND withdrawn_at IS NULL
            """, new { w.SeekerId, purpose, vacancyId });
    }
}
