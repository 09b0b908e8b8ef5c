using System.Net;
using System.Net.Http.Json;
using JobMatch.Tests.Infrastructure;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Vacancies;

/// <summary>Employer A cannot read or change employer B's vacancies: 404, no existence oracle (issue 4; SECURITY.md R5).</summary>
[Collection(PostgresCollection.Name)]
public sealed class VacancyAccessTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)

    [Fact]
    public async Task OtherEmployersDraft_Answers404_OnEveryApiRoute()
    {
        var (owner, _) = await EmployerClientAsync(_app);
        var (other, _) = await EmployerClientAsync(_app);
        var token = Token();
        var id = await CreateDraftAsync(owner, Input(token));

        var responses = new[]
        {
            await other.GetAsync($"/api/vacancies/{id}"),
            await other.PutAsJsonAsync($"/api/vacancies/{id}", Input(Token(), v => v.Version = 1)),
            await other.PostAsync($"/api/vacancies/{id}/publish", null),
            await other.PostAsync($"/api/vacancies/{id}/close", null),
            await other.PostAsync($"/api/vacancies/{id}/copy", null),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.DoesNotContain(token, await other.GetStringAsync("/api/vacancies"));
        Assert.Equal("draft", await ScalarAsync<string>(database.DataSource, "SELECT status FROM vacancy WHERE id = @id AND title_en LIKE @t", new { id, t = "%" + token }));
    }

    [Fact]
    public async Task OtherEmployersDraft_Answers404_OnTheEditPage()
    {
        var (owner, _) = await EmployerClientAsync(_app);
        var (other, _) = await EmployerClientAsync(_app);
        var id = await CreateDraftAsync(owner, Input(Token()));

        var page = await other.GetAsync($"/employer/vacancy/{id}");
        var formToken = await JobMatchApp.FormTokenAsync(other, "/employer/vacancy");
        var post = await other.PostAsync($"/employer/vacancy/{id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = formToken, ["Input.TitleEn"] = "Taken over", ["Input.Version"] = "1",
        }));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(1, await ScalarAsync<long>(database.DataSource, "SELECT version FROM vacancy WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task PublicBoard_DoesNotShowDrafts()
    {
        var (owner, _) = await EmployerClientAsync(_app);
        var id = await CreateDraftAsync(owner, Input(Token()));
        using var anonymous = _app.CreatePlainClient();

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/board/{id}")).StatusCode);
    }
}
