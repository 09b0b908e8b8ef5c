using System.Net;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Security;

/// <summary>
/// Hostile input never answers 5xx: control characters, lone surrogates and very long values in the query string
/// and a header of every GET route of the app (the endpoint catalogue), sent anonymously and by every role the route
/// admits. Values the app cannot use answer 400 or are ignored; a 500 is a failure. Bounded to a few generated
/// cases (each one a sweep of all routes) to keep the run well under a minute.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HostileQueryTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    private const int Cases = 3;

    /// <summary>The query names the app reads anywhere (board filters, paging, return addresses, handlers).</summary>
    private static readonly string[] QueryNames = ["q", "page", "returnUrl", "sector", "upazila", "kind", "minWage", "status", "handler", "culture", "vacancyId", "id"];

    private static readonly string[] Fragments =
    [
        "\0", "\t", "\r\n", "\u0001", "\u001b", "\u007f", "\u0085", "\uD800", "\uDFFF", "x\uDBFF", "\uFFFE", "\uFEFF", "\u202E",
        "2147483647", "-2147483649", "99999999999999999999", "-1", "0", "1e9", "NaN", "/", "//evil.example", "/\\evil", "%", "%00",
        "'", "\"", "<script>", "কক্সবাজার", "\U0001F600", "a",
    ];

    private readonly JobMatchApp _app = shared.For(database); // one host for the class (SharedApp)

    [Fact]
    public async Task EveryGetRoute_AnswersBelow500_ForControlCharactersSurrogatesAndLongValues()
    {
        using var clients = await RoleClients.SignInAllAsync(_app);
        var endpoints = EndpointCatalogue.All(_app.Services).Where(e => e.IsPage || e.Methods.Contains("GET")).ToList();
        Assert.Contains(endpoints, e => e.Route == "/api/board");
        var text = Gen.Elements(Fragments).NonEmptyListOf().Select(f => string.Concat(f));
        var hostile = Gen.Frequency((5, text), (1, text.Select(t => t + new string('ক', 5_000))));

        var failures = new List<string>();
        var requests = 0;
        var property = Prop.ForAll(hostile.ToArbitrary(), value =>
        {
            var found = Task.Run(async () =>
            {
                var list = new List<string>();
                foreach (var endpoint in endpoints)
                {
                    foreach (var (who, client) in clients.For(endpoint).Prepend(("anonymous", clients.Anonymous)).Distinct())
                    {
                        using var response = await SendAsync(client, endpoint.Path, value);
                        requests++;
                        if ((int)response.StatusCode >= 500) list.Add($"{who} GET {endpoint.Route} with {Escape(value)} -> {(int)response.StatusCode}");
                    }
                }
                return list;
            }).GetAwaiter().GetResult();
            failures.AddRange(found);
            return found.Count == 0;
        });
        Check.One(Config.Quick.WithMaxTest(Cases), property);

        Assert.True(requests >= endpoints.Count, "no request was sent");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct().Take(10)));
    }

    [Theory]
    [InlineData("/account/login?returnUrl=/jobs%09x")]
    [InlineData("/api/board?q=a%00b")]
    [InlineData("/jobs?q=a%00b")]
    public async Task ControlCharacterInQuery_Answers400(string path)
    {
        using var anonymous = _app.CreatePlainClient();

        var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task TabInReturnUrl_FallsBackToHome_WhenSwitchingLanguage()
    {
        using var anonymous = _app.CreatePlainClient();
        var token = await JobMatchApp.FormTokenAsync(anonymous, "/account/login");

        var response = await anonymous.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "bn",
            ["returnUrl"] = "/jobs\tx",
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task BoardPagePastTheEnd_IsEmpty_WithTheTotalOfTheFirstPage()
    {
        using var anonymous = _app.CreatePlainClient();

        using var first = JsonDocument.Parse(await anonymous.GetStringAsync("/api/board"));
        using var last = JsonDocument.Parse(await anonymous.GetStringAsync("/api/board?page=2147483647"));
        using var past = JsonDocument.Parse(await anonymous.GetStringAsync("/api/board?page=400"));

        Assert.Equal(first.RootElement.GetProperty("total").GetInt64(), last.RootElement.GetProperty("total").GetInt64());
        Assert.Equal(first.RootElement.GetProperty("total").GetInt64(), past.RootElement.GetProperty("total").GetInt64());
        Assert.Empty(last.RootElement.GetProperty("items").EnumerateArray());
        Assert.False(last.RootElement.GetProperty("hasNext").GetBoolean());
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string value)
    {
        var query = string.Join('&', QueryNames.Select(n => n + "=" + Uri.EscapeDataString(Utf16Safe(value))));
        // A lone surrogate cannot be percent-encoded as UTF-8: it goes as the bytes of one (invalid UTF-8), and as is in headers.
        var raw = value.Any(char.IsSurrogate) ? "&q=%ED%A0%80" : "";
        using var request = new HttpRequestMessage(HttpMethod.Get, path + (path.Contains('?') ? "&" : "?") + query + raw);
        request.Headers.TryAddWithoutValidation("X-Hostile", value.Replace("\r", "").Replace("\n", ""));
        request.Headers.TryAddWithoutValidation("Accept-Language", value.Replace("\r", "").Replace("\n", ""));
        try
        {
            return await client.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or FormatException or InvalidOperationException)
        {
            // A value the HTTP client itself refuses to send cannot reach the app.
            return new HttpResponseMessage(HttpStatusCode.BadRequest);
        }
    }

    /// <summary>Replaces lone surrogates (which cannot be percent-encoded as UTF-8) with U+FFFD.</summary>
    private static string Utf16Safe(string value)
    {
        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) { i++; continue; }
            if (char.IsSurrogate(chars[i])) chars[i] = '\uFFFD';
        }
        return new string(chars);
    }

    private static string Escape(string value) =>
        string.Concat(value.Take(40).Select(c => c < 0x20 || char.IsSurrogate(c) || c == 0x7f ? $"\\u{(int)c:x4}" : c.ToString())) + (value.Length > 40 ? $"…({value.Length})" : "");
}
