using System.Net;
using System.Net.Http.Json;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Matching;
using JobMatch.Tests.Seekers;

namespace JobMatch.Tests.Security;

/// <summary>
/// Two complete organisations of every kind ("own" and "other") with real data in each: an agency with a canary
/// seeker (identity, case file, consents), an employer with vacancies, a proposal waiting for review, a shown match,
/// an invited offer, a hire with a retention check-in, a training provider with the seeker enrolled, a course and an
/// upload. The signed-in clients (one per role) all belong to the "own" side; the "other" side's ids are what a
/// foreign caller would try. Built once per test class (<see cref="SecurityWorldFixture"/>).
/// </summary>
internal sealed class SecurityWorld : IAsyncDisposable
{
    public const string SkillCode = FlowWorld.Skill;
    public const string UploadKind = "skills";

    private SecurityWorld(JobMatchApp app) => App = app;

    public JobMatchApp App { get; }
    public FlowWorld Flow { get; private set; } = null!;
    public Side Own { get; private set; } = null!;
    public Side Other { get; private set; } = null!;
    public HttpClient Anonymous { get; private set; } = null!;
    public IReadOnlyDictionary<string, HttpClient> Clients { get; private set; } = null!;

    /// <summary>Everything one organisation set owns, by the route parameter it fills.</summary>
    internal sealed record Side(
        FlowWorld.CaseWorker Worker, FlowWorld.Seeker Seeker, FlowWorld.Employer Employer, HttpClient Provider, Guid ProviderId,
        HttpClient SeekerClient, long Vacancy, long ShownMatch, long ReviewMatch, long OfferMatch, long ConsentId, long EnrolmentId,
        long CheckinId, Guid UploadId, string CourseCode, long[] Vacancies, long[] Matches)
    {
        /// <summary>The employer's handle of the seeker on <see cref="Vacancy"/> (filled once the shown match exists).</summary>
        public string Handle { get; init; } = "";

        /// <summary>The training provider's own number for the seeker.</summary>
        public string TraineeNumber { get; init; } = "";
    }

    public static async Task<SecurityWorld> CreateAsync(PostgresFixture database, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var world = new SecurityWorld(new JobMatchApp(database, settings ?? FlowWorld.Settings()) { TestServices = services });
        world.Flow = new FlowWorld(world.App, database);
        world.Own = await world.SideAsync();
        world.Other = await world.SideAsync();
        world.Anonymous = world.App.CreatePlainClient();
        var clients = new Dictionary<string, HttpClient>
        {
            [Roles.CaseWorker] = world.Own.Worker.Client,
            [Roles.Employer] = world.Own.Employer.Client,
            [Roles.TrainingProvider] = world.Own.Provider,
            [Roles.JobSeeker] = world.Own.SeekerClient,
        };
        var (admin, _) = await world.App.SignedInClientAsync(Roles.Admin);
        await JobMatchApp.UseApiTokenAsync(admin);
        clients[Roles.Admin] = admin;
        // The chamber admin of the Chamber: the own side's employer claims the Chamber, the other side's NASCIB.
        var (chamber, _) = await world.App.SignedInClientAsync(Roles.ChamberAdmin);
        await JobMatchApp.UseApiTokenAsync(chamber);
        clients[Roles.ChamberAdmin] = chamber;
        await using (var c = await world.App.Database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE organisation SET membership = 'nascib' WHERE id = @id", new { id = world.Other.Employer.Id });
        }
        world.Clients = clients;
        return world;
    }

    private async Task<Side> SideAsync()
    {
        var worker = await Flow.CaseWorkerAsync(requiresReview: true);
        var seeker = await Flow.SeekerAsync(worker);
        var employer = await Flow.EmployerAsync();
        var db = App.Database.DataSource;

        // A shown match (proposed by the engine, approved by the case worker); no contact consent yet.
        var vacancy = await Flow.VacancyAsync(employer.Id);
        var shown = await Flow.ProposeAndApproveAsync(vacancy, worker, seeker);

        // A proposal still waiting for the case worker's review, an invited offer and a hire with a check-in.
        var offers = new OffersWorld(App);
        long[] vacancies = [vacancy, await Flow.VacancyAsync(employer.Id), await Flow.VacancyAsync(employer.Id), await Flow.VacancyAsync(employer.Id)];
        var review = await offers.MatchAsync(seeker.Id, vacancies[1]);
        await Flow.SetStatusAsync(review, "proposed");
        var offer = await offers.MatchAsync(seeker.Id, vacancies[2]);
        var hired = await offers.MatchAsync(seeker.Id, vacancies[3], "accepted", "interviewed", "hired");

        // The seeker's own sign-in (the job_seeker role of this side).
        var seekerUser = await App.CreateUserAsync(Roles.JobSeeker, null, language: "en");
        var (provider, providerUser) = await App.SignedInClientAsync(Roles.TrainingProvider);
        await JobMatchApp.UseApiTokenAsync(provider);
        var providerId = providerUser.OrganisationId!.Value;
        var enrol = await worker.Client.PostAsJsonAsync($"/api/casework/seekers/{seeker.Reference}/enrolments",
            new { providerId, consentMethod = "in_person" });
        Assert.Equal(HttpStatusCode.NoContent, enrol.StatusCode);
        var courseCode = "SEC-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var course = await provider.PostAsJsonAsync("/api/training/courses",
            new { code = courseCode, name = "Security course", skills = new[] { new { skillCode = SkillCode, level = 2 } } });
        Assert.Equal(HttpStatusCode.Created, course.StatusCode);
        var traineeNumber = await SeekerApi.TraineeNumberAsync(db, seeker.Reference, providerId);
        var uploadId = await UploadAsync(provider, traineeNumber);

        long enrolmentId, checkinId, consentId;
        await using (var c = await db.OpenConnectionAsync())
        {
            await c.ExecuteAsync("UPDATE seeker SET user_id = @user WHERE id = @id", new { user = seekerUser.Id, id = seeker.Id });
            consentId = await c.ExecuteScalarAsync<long>("SELECT id FROM consent WHERE seeker_id = @id AND purpose = 'matching'", new { id = seeker.Id });
            enrolmentId = await c.ExecuteScalarAsync<long>("SELECT id FROM enrolment WHERE seeker_id = @id AND provider_id = @providerId",
                new { id = seeker.Id, providerId });
            checkinId = await c.ExecuteScalarAsync<long>(
                "INSERT INTO retention_checkin (match_id, months, due_on) VALUES (@hired, 1, current_date) RETURNING id", new { hired });
        }
        var seekerClient = App.CreatePlainClient();
        Assert.Equal(HttpStatusCode.Redirect, (await JobMatchApp.SignInAsync(seekerClient, seekerUser.UserName!, JobMatchApp.Password)).StatusCode);
        await JobMatchApp.UseApiTokenAsync(seekerClient);

        return new Side(worker, seeker, employer, provider, providerId, seekerClient, vacancy, shown, review, offer, consentId, enrolmentId,
            checkinId, uploadId, courseCode, vacancies, [shown, review, offer, hired]) { Handle = await Flow.HandleAsync(vacancy, seeker.Id), TraineeNumber = traineeNumber };
    }

    /// <summary>A previewed (not committed) skills upload of the provider, through the API.</summary>
    private static async Task<Guid> UploadAsync(HttpClient provider, string traineeNumber)
    {
        var csv = $"trainee_number,skill_code,level,source,certified_on,months_experience\n{traineeNumber},{SkillCode},2,assessed,,6\n";
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "skills.csv");
        var response = await provider.PostAsync($"/api/training/uploads/{UploadKind}", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"upload: {(int)response.StatusCode} {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    public async ValueTask DisposeAsync()
    {
        Anonymous?.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>
/// One <see cref="SecurityWorld"/> per test class. xUnit 2 cannot hand a collection fixture to a class fixture, so the
/// world is built on first use with the database the test class was given.
/// </summary>
public sealed class SecurityWorldFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SecurityWorld? _world;

    internal async Task<SecurityWorld> GetAsync(PostgresFixture database, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        await _gate.WaitAsync();
        try
        {
            return _world ??= await SecurityWorld.CreateAsync(database, settings, services);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_world is not null) await _world.DisposeAsync();
        _gate.Dispose();
    }
}
