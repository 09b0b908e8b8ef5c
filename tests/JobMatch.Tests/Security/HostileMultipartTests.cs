using System.Net;
using System.Text;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Security;

/// <summary>
/// Issue 14, hostile input in multipart forms: a browser may send any form as multipart, and the CSV uploads are
/// multipart. A control character in a field (or in an uploaded file's name) answers 400 from the hostile-input
/// guard, as in a url-encoded form, never a 500 from PostgreSQL (which refuses NUL in text) or deeper code.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HostileMultipartTests(PostgresFixture database) : IAsyncLifetime
{
    private JobMatchApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new JobMatchApp(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("\0")]
    [InlineData("\u001b")]
    [InlineData("\u0085")]
    public async Task MultipartFieldWithControlCharacter_Answers400_OnAnAnonymousForm(string hostile)
    {
        using var client = _app.CreatePlainClient();
        var token = JobMatchApp.FormToken(await client.GetStringAsync("/register/employer"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Sea Shell " + hostile + " Crafts"), "Input.Name" },
            { new StringContent("TL-" + Guid.NewGuid().ToString("N")[..10]), "Input.TradeLicenceNumber" },
            { new StringContent("Rahima " + hostile), "Input.ContactPerson" },
        };

        var response = await client.PostAsync("/register/employer", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("form field", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UploadWithControlCharacterInItsFileName_Answers400()
    {
        var (client, _) = await _app.SignedInClientAsync(Roles.TrainingProvider);
        var token = JobMatchApp.FormToken(await client.GetStringAsync("/training/upload"));
        // Written by hand: HttpClient's multipart content would escape the file name.
        const string boundary = "jobmatch-hostile-boundary";
        var body = string.Join("\r\n",
            $"--{boundary}", "Content-Disposition: form-data; name=\"__RequestVerificationToken\"", "", token,
            $"--{boundary}", "Content-Disposition: form-data; name=\"kind\"", "", "completions",
            $"--{boundary}", "Content-Disposition: form-data; name=\"file\"; filename=\"records\u0001.csv\"", "Content-Type: text/csv", "", "reference,course",
            $"--{boundary}--", "");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");

        var response = await client.PostAsync("/training/upload?handler=Upload", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("file name", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CleanMultipartForm_StillReachesThePage()
    {
        using var client = _app.CreatePlainClient();
        var token = JobMatchApp.FormToken(await client.GetStringAsync("/register/employer"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("কক্সবাজার\r\nক্রাফটস"), "Input.Name" },
        };

        var response = await client.PostAsync("/register/employer", form);
        var html = await response.Content.ReadAsStringAsync();

        // The page's own answer: field errors for what is missing, in the page, not the guard's problem document.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("holds a character that is not allowed", html);
        Assert.Contains("<form", html);
    }
}
