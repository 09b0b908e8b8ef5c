using System.Net;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Web;

/// <summary>
/// The public OpenAPI document describes only anonymous routes; the full one (with the case-work API and its
/// schemas) needs a staff sign-in with the second factor.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ApiDescriptionTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly string[] CaseFileWords = ["survivorStatus", "referralSource", "/api/seekers"];
    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/openapi/v1.json?documentName=full")]
    public async Task PublicDocument_HasNoCaseFileSchema_WhenReadAnonymously(string path)
    {
        using var anonymous = _app.CreatePlainClient();

        var response = await anonymous.GetAsync(path);
        var document = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"/api/board\"", document);
        Assert.All(CaseFileWords, word => Assert.DoesNotContain(word, document, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("\"/api/vacancies\"", document);
    }

    [Fact]
    public async Task FullDocument_AnswersOnlyStaff_AndDescribesTheCaseWorkApi()
    {
        using var anonymous = _app.CreatePlainClient();
        var (employer, _) = await _app.SignedInClientAsync(Roles.Employer);
        var (admin, _) = await _app.SignedInClientAsync(Roles.Admin);

        var forAnonymous = await anonymous.GetAsync("/openapi/full.json");
        var forEmployer = await employer.GetAsync("/openapi/full.json");
        var forAdmin = await admin.GetAsync("/openapi/full.json");

        Assert.Equal(HttpStatusCode.Unauthorized, forAnonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forEmployer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forAdmin.StatusCode);
        var document = await forAdmin.Content.ReadAsStringAsync();
        foreach (var path in new[] { "/api/board", "/api/vacancies", "/api/vacancies/{id}/publish", "/api/employers", "/api/employers/{id}/suspend", "/api/employers/me", "/api/vacancy-imports" })
        {
            Assert.Contains($"\"{path}\"", document);
        }
        Assert.Contains("survivorStatus", document, StringComparison.OrdinalIgnoreCase);
    }
}
