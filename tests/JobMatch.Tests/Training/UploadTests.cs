using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using JobMatch.Identity;
using JobMatch.Seekers;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Seekers;
using JobMatch.Training;
using Xunit.Abstractions;

namespace JobMatch.Tests.Training;

[Collection(PostgresCollection.Name)]
public sealed class UploadTests(PostgresFixture database, SharedApp shared, ITestOutputHelper output) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Upload_ListsEveryBadRowWithLineAndReason_AndCommitsNothing()
    {
        var app = shared.For(database);
        var (provider, trainee, other) = await ProviderWithTraineeAsync(app);
        var csv = $"""
            trainee_number,skill_code,level,source,certified_on,months_experience
            {trainee},HOS-001,2,assessed,2025-01-10,3
            {trainee},NOPE-999,2,assessed,2025-01-10,3
            {trainee},HOS-002,5,assessed,2025-01-10,3
            {other},HOS-003,1,assessed,2025-01-10,3
            {trainee},HOS-004,1,certified,10/01/2025,3
            "{trainee}",HOS-001,3,assessed,2025-01-11,4
            """;

        var preview = await UploadAsync(provider, "skills", csv);
        var id = preview.GetProperty("id").GetString();
        var commit = await provider.PostAsync($"/api/training/uploads/{id}/commit", null);

        var errors = preview.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("reason").GetString())).ToList();
        Assert.Equal([(3, "unknown_skill_code"), (4, "level_out_of_range"), (5, "not_enrolled"), (6, "malformed_date"), (7, "duplicate_of_line:2")], errors);
        Assert.Equal(6, preview.GetProperty("rowCount").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, commit.StatusCode);
        Assert.Empty((await provider.GetFromJsonAsync<JsonElement>($"/api/training/trainees/{trainee}")).GetProperty("skills").EnumerateArray());
    }

    [Fact]
    public async Task Upload_ListsEveryProblemOfEveryRowWithItsValue_ButNeverTheTraineeNumber()
    {
        var app = shared.For(database);
        var (provider, trainee, _) = await ProviderWithTraineeAsync(app);
        const string Stranger = "T-ZZZZ2222"; // looks like a trainee number, enrolled nowhere
        var csv = $"""
            trainee_number,skill_code,level,source,certified_on,months_experience
            {trainee},NOPE-999,9,maybe,31/12/2025,999
            {Stranger},hos-001,x,assessed,2025-01-10,3
            {trainee},Housekeeping supervision,2,assessed,2025-01-10,1
            """;

        var preview = await UploadAsync(provider, "skills", csv);

        var errors = preview.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("reason").GetString(), e.GetProperty("column").GetString(), Value(e))).ToList();
        Assert.Equal(
        [
            (2, "unknown_skill_code", "code", "NOPE-999"), (2, "level_out_of_range", "level", "9"), (2, "unknown_source", "source", "maybe"),
            (2, "malformed_date", "date", "31/12/2025"), (2, "months_out_of_range", "months", "999"),
            (3, "not_enrolled", "reference", null), (3, "level_not_a_number", "level", "x"),
        ], errors);
        Assert.Equal(2, preview.GetProperty("errorCount").GetInt32()); // rows with problems; line 4 names its skill in English and is fine
        Assert.DoesNotContain(Stranger, preview.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(trainee, preview.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UploadPreview_ShowsEachProblemWithColumnAndValueInBangla_WhenTheUploaderReadsBangla()
    {
        var app = shared.For(database);
        var (provider, trainee, _) = await ProviderWithTraineeAsync(app, language: "bn");
        var preview = await UploadAsync(provider, "skills", $"trainee_number,skill_code,level,source\n{trainee},NOPE-999,9,assessed\n");

        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await provider.GetStringAsync($"/training/upload?id={preview.GetProperty("id").GetString()}"));

        var rows = page.QuerySelectorAll("tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["2", "দক্ষতার_কোড", "NOPE-999"], rows[0][..3]);
        Assert.StartsWith("অজানা দক্ষতা", rows[0][3], StringComparison.Ordinal);
        Assert.Equal(["2", "স্তর", "9", "স্তর ১ থেকে ৪ হতে হবে"], rows[1]);
        Assert.DoesNotContain(trainee, page.Body!.TextContent, StringComparison.OrdinalIgnoreCase);
    }

    private static string? Value(JsonElement error) =>
        error.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [Fact]
    public async Task Upload_WithBanglaHeaders_Commits()
    {
        var app = shared.For(database);
        var (provider, trainee, _) = await ProviderWithTraineeAsync(app);
        var csv = $"\uFEFFপ্রশিক্ষণার্থী_নম্বর,দক্ষতার_কোড,স্তর,উৎস,সনদের_তারিখ,অভিজ্ঞতার_মাস\r\n{trainee.ToLowerInvariant()},HOS-004,৩,সনদপ্রাপ্ত,২০২৫-০১-১০,৬\r\n";

        var preview = await UploadAsync(provider, "skills", csv);
        var commit = await provider.PostAsync($"/api/training/uploads/{preview.GetProperty("id").GetString()}/commit", null);

        Assert.Equal(0, preview.GetProperty("errorCount").GetInt32());
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        var skill = (await provider.GetFromJsonAsync<JsonElement>($"/api/training/trainees/{trainee}")).GetProperty("skills")[0];
        Assert.Equal(("HOS-004", 3, "certified", 6), (skill.GetProperty("skillCode").GetString(), skill.GetProperty("level").GetInt32(),
            skill.GetProperty("source").GetString(), skill.GetProperty("monthsExperience").GetInt32()));
    }

    [Fact]
    public async Task Template_HasEnglishAndBanglaHeaders()
    {
        var app = shared.For(database);
        var (provider, _) = await app.SignedInClientAsync(Roles.TrainingProvider);

        var en = await provider.GetStringAsync("/api/training/uploads/template/skills");
        var bn = await provider.GetStringAsync("/api/training/uploads/template/skills?lang=bn");

        Assert.StartsWith("trainee_number,skill_code,level", en.TrimStart('\uFEFF'));
        Assert.StartsWith("প্রশিক্ষণার্থী_নম্বর,দক্ষতার_কোড,স্তর", bn.TrimStart('\uFEFF'));
    }

    [Theory]
    [InlineData("trainee_number,skill_code,source\n{0},HOS-001,assessed\n", "missing_columns:level")]
    [InlineData("", "empty_file")]
    public async Task Upload_StagesNothing_AndTheNextUploadWorks_WhenTheHeaderIsBad(string template, string expected)
    {
        // Rows stream into the COPY as they are parsed; a bad header must cancel that COPY and leave no trace.
        var app = shared.For(database);
        var providerId = await app.CreateOrganisationAsync("training_provider");
        var agencyId = await app.CreateOrganisationAsync("case_agency");
        var userId = (await app.CreateUserAsync(Roles.TrainingProvider, providerId)).Id;
        var (_, number) = (await EnrolledSeekersAsync(agencyId, providerId, 1))[0];
        await using var scope = app.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<UploadStore>();

        var bad = await store.UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, number))),
            UploadFormat.Skills, providerId, userId, CancellationToken.None);
        var good = await store.UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes($"trainee_number,skill_code,level\n{number},HOS-001,2\n")),
            UploadFormat.Skills, providerId, userId, CancellationToken.None);

        Assert.Equal((expected, "rejected"), (bad.HeaderError, bad.Status));
        Assert.Equal(("previewed", 1, 0), (good.Status, good.RowCount, good.ErrorCount));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal([good.Id], await connection.QueryAsync<Guid>("SELECT id FROM upload WHERE provider_id = @providerId", new { providerId }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM upload_row WHERE upload_id = @id", new { id = bad.Id }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM upload_row WHERE upload_id = @id", new { id = good.Id }));
    }

    [Fact]
    public async Task CleanHundredThousandRowFile_Commits()
    {
        var app = shared.For(database);
        var providerId = await app.CreateOrganisationAsync("training_provider");
        var agencyId = await app.CreateOrganisationAsync("case_agency");
        var userId = (await app.CreateUserAsync(Roles.TrainingProvider, providerId)).Id;
        var trainees = await EnrolledSeekersAsync(agencyId, providerId, 500);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var skills = (await connection.QueryAsync<string>("SELECT code FROM skill ORDER BY id LIMIT 200")).ToList();
        var csv = new StringBuilder("trainee_number,skill_code,level,source,certified_on,months_experience\n");
        foreach (var (_, number) in trainees)
        {
            foreach (var (skill, i) in skills.Select((s, i) => (s, i)))
            {
                csv.Append(number).Append(',').Append(skill).Append(',').Append(i % 4 + 1).Append(",certified,2025-03-0").Append(i % 9 + 1).Append(',').Append(i % 24).Append('\n');
            }
        }
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());

        var clock = Stopwatch.StartNew();
        await using var scope = app.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<UploadStore>();
        var preview = await store.UploadAsync(new MemoryStream(bytes), UploadFormat.Skills, providerId, userId, CancellationToken.None);
        var outcome = await scope.ServiceProvider.GetRequiredService<UploadCommit>().CommitAsync(preview.Id, providerId, userId, CancellationToken.None);
        clock.Stop();

        Assert.Equal(100_000, preview.RowCount);
        Assert.Equal(0, preview.ErrorCount);
        Assert.True(outcome!.Committed);
        Assert.Equal(100_000, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM seeker_skill ss JOIN seeker s ON s.id = ss.seeker_id WHERE s.agency_id = @agencyId", new { agencyId }));
        Assert.Equal(200, await connection.ExecuteScalarAsync<int>("SELECT cardinality(skill_ids) FROM seeker WHERE reference = @r", new { r = trainees[0].Reference }));
        var t = store.LastTiming!;
        output.WriteLine($"100k rows ({bytes.Length / 1024} KiB): total {clock.ElapsedMilliseconds} ms = look-ups {t.Lookups.TotalMilliseconds:F0} ms, parse+validate+COPY {t.Parse.TotalMilliseconds:F0} ms, " +
            $"rest of the COPY {t.Copy.TotalMilliseconds:F0} ms, merge+commit {outcome.Merge.TotalMilliseconds:F0} ms; {100_000 / clock.Elapsed.TotalSeconds:F0} rows/s");
    }

    private async Task<List<(string Reference, string Number)>> EnrolledSeekersAsync(Guid agencyId, Guid providerId, int count)
    {
        var references = Enumerable.Range(0, count).Select(_ => SeekerReference.New()).Distinct().ToArray();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var inserted = (await connection.QueryAsync<(string, string)>(
            """
            WITH s AS (
                INSERT INTO seeker (reference, agency_id) SELECT r, @agencyId FROM unnest(@references) AS r
                ON CONFLICT (reference) DO NOTHING RETURNING id, reference)
            , e AS (INSERT INTO enrolment (seeker_id, provider_id, consent_method, enrolled_by) SELECT id, @providerId, 'in_person', @providerId FROM s)
            , t AS (INSERT INTO trainee_number (provider_id, seeker_id) SELECT @providerId, id FROM s RETURNING seeker_id, number)
            SELECT s.reference, t.number FROM s JOIN t ON t.seeker_id = s.id
            """, new { agencyId, providerId, references })).ToList();
        return inserted;
    }

    private static async Task<(HttpClient Provider, string Trainee, string Other)> ProviderWithTraineeAsync(JobMatchApp app, string language = "en")
    {
        var caseWorker = await SeekerApi.CaseWorkerAsync(app);
        var (provider, user) = await app.SignedInClientAsync(Roles.TrainingProvider, language: language);
        await JobMatchApp.UseApiTokenAsync(provider);
        var trainee = await SeekerApi.RegisterAsync(caseWorker, SeekerApi.Canaries.New());
        var other = await SeekerApi.RegisterAsync(caseWorker, SeekerApi.Canaries.New());
        var enrol = await caseWorker.PostAsJsonAsync($"/api/casework/seekers/{trainee}/enrolments", new { providerId = user.OrganisationId, consentMethod = "in_person" });
        Assert.Equal(HttpStatusCode.NoContent, enrol.StatusCode);
        // The provider knows its trainee by its own number; another seeker's case-work reference finds nothing.
        return (provider, await SeekerApi.TraineeNumberAsync(app.Database.DataSource, trainee), other);
    }

    private static async Task<JsonElement> UploadAsync(HttpClient client, string kind, string csv)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "upload.csv");
        var response = await client.PostAsync($"/api/training/uploads/{kind}", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
