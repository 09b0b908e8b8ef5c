using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using JobMatch.Tests.Infrastructure;
using static JobMatch.Tests.Security.AuthorizationMatrix;

namespace JobMatch.Tests.Security;

/// <summary>
/// R5, R6: every cell of <see cref="AuthorizationMatrix"/> as one theory case — refused for a caller the route does
/// not admit (401 or sign-in redirect when anonymous, 403 or "denied" redirect for a signed-in role), 2xx for an
/// admitted caller with its own organisation's ids, 404 (not 403: no existence oracle) with another organisation's
/// ids, and 404 when only the second id of a path is foreign (own vacancy, another's candidate; own seeker, another's
/// consent). Requests carry a valid antiforgery token, so a refusal is authorization's, not the token check's.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class AuthorizationMatrixTests(PostgresFixture database, SecurityWorldFixture fixture) : IClassFixture<SecurityWorldFixture>
{
    private static readonly Lazy<List<Cell>> AllCells = new(() => Cells().ToList());

    public static TheoryData<string, string, string, string, string, string> MatrixCells()
    {
        var data = new TheoryData<string, string, string, string, string, string>();
        foreach (var cell in Cells())
        {
            data.Add(cell.Row.Method, cell.Row.Route, cell.Handler, cell.Caller, cell.Ownership.ToString(), cell.Expected.ToString());
        }
        return data;
    }

    [Fact]
    public async Task Matrix_NamesEveryRouteOfTheApp_WithTheRolesItsPoliciesAdmit()
    {
        var world = await fixture.GetAsync(database);
        var declared = Declared().ToDictionary(d => (d.Method, d.Route), d => d.Admitted);
        var actual = EndpointCatalogue.All(world.App.Services).ToDictionary(
            e => (e.IsPage ? "PAGE" : e.Methods.Count == 0 ? "ANY" : string.Join(',', e.Methods), e.Route),
            e => e.Anonymous ? Callers : e.Roles);

        var missing = actual.Keys.Except(declared.Keys).Select(k => $"not in the matrix: {k.Item1} {k.Item2}");
        var stale = declared.Keys.Except(actual.Keys).Select(k => $"no longer in the app: {k.Item1} {k.Item2}");
        var differing = actual.Where(a => declared.TryGetValue(a.Key, out var d) && !d.Order().SequenceEqual(a.Value.Order()))
            .Select(a => $"{a.Key.Item1} {a.Key.Item2}: the app admits {string.Join(",", a.Value)}, the matrix {string.Join(",", declared[a.Key])}");
        var problems = missing.Concat(stale).Concat(differing).ToList();

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.True(actual.Count >= 100, $"only {actual.Count} routes found");
    }

    [Theory]
    [MemberData(nameof(MatrixCells))]
    public async Task Endpoint_AnswersAsTheMatrixSays_ForEveryCallerAndOwnership(string method, string route, string handler, string caller, string ownership, string expected)
    {
        var world = await fixture.GetAsync(database);
        var cell = AllCells.Value.Single(c => c.Row.Method == method && c.Row.Route == route && c.Handler == handler && c.Caller == caller && c.Ownership.ToString() == ownership);
        var (path, form) = MatrixPaths.Fill(cell, world);
        var client = caller == AnonymousCaller ? world.Anonymous : world.Clients[caller];

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (!cell.Row.IsSafe) request.Content = path.StartsWith("/api/", StringComparison.Ordinal) ? ApiBody(route) : new FormUrlEncodedContent(form);
        using var response = await client.SendAsync(request);

        var outcome = $"{method} {path} as {caller} ({ownership}): {(int)response.StatusCode} {response.Headers.Location}";
        switch (Enum.Parse<Expected>(expected))
        {
            case Expected.Success:
                Assert.True(response.IsSuccessStatusCode, $"expected 2xx; {outcome}");
                break;
            case Expected.Redirect:
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect; {outcome}");
                break;
            case Expected.NotFound:
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"expected 404; {outcome}");
                break;
            case Expected.Refused:
                Assert.True(IsRefusal(response, caller), $"expected {(caller == AnonymousCaller ? "401 or sign-in" : "403 or denied")}; {outcome}");
                break;
            case Expected.ErrorPage: // the status the address names (404), shown as a page: not a refusal, not a redirect
                Assert.True(response.StatusCode == HttpStatusCode.NotFound && response.Headers.Location is null
                    && (await response.Content.ReadAsStringAsync()).Contains("error-page", StringComparison.Ordinal), $"expected the 404 page; {outcome}");
                break;
        }
    }

    /// <summary>
    /// A body the endpoint accepts, so that a foreign id is refused for what it is and not for a malformed request
    /// (an endpoint that only consumes CSV or a file is not even selected for JSON: 415 before authorization).
    /// </summary>
    private static HttpContent ApiBody(string route) => route switch
    {
        "/api/training/uploads/{kind}" => new MultipartFormDataContent { { new ByteArrayContent("a,b\n"u8.ToArray()), "file", "x.csv" } },
        "/api/vacancy-imports" => new StringContent("title\n", Encoding.UTF8, "text/csv"),
        "/api/casework/offers/{matchId:long}/accept" => new StringContent("""{"seekerAgreed":true}""", Encoding.UTF8, "application/json"),
        "/api/casework/review/{matchId:long}/skip" => new StringContent("""{"reason":"safety_concern"}""", Encoding.UTF8, "application/json"),
        _ => new StringContent("{}", Encoding.UTF8, "application/json"),
    };

    private static bool IsRefusal(HttpResponseMessage response, string caller)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return caller == AnonymousCaller
            ? response.StatusCode == HttpStatusCode.Unauthorized
                || (response.StatusCode == HttpStatusCode.Redirect && location.Contains("/account/login", StringComparison.Ordinal))
            : response.StatusCode == HttpStatusCode.Forbidden
                || (response.StatusCode == HttpStatusCode.Redirect && location.Contains("/account/denied", StringComparison.Ordinal));
    }
}

/// <summary>Fills a matrix cell with real ids of the world: own side, other side, or the first id own and the rest foreign.</summary>
internal static partial class MatrixPaths
{
    /// <summary>The route's parameters that hold an organisation's record id, in order.</summary>
    public static IReadOnlyList<string> ScopedParameters(string route) =>
        Parameter().Matches(route).Select(m => m.Groups[1].Value).Where(name => IsScoped(route, name)).ToList();

    public static (string Path, Dictionary<string, string> Form) Fill(Cell cell, SecurityWorld world)
    {
        var route = cell.Row.Route;
        var scoped = 0;
        SecurityWorld.Side Next() => (cell.Ownership, scoped++) switch
        {
            (Ownership.Own, _) => world.Own,
            (Ownership.Mixed, 0) => world.Own,
            _ => world.Other,
        };
        var path = Parameter().Replace(route, match =>
        {
            var name = match.Groups[1].Value;
            return IsScoped(route, name) ? Scoped(route, name, Next()) : Unscoped(route, name, world);
        });
        var form = cell.FormIds.ToDictionary(name => name, name => Scoped(route, name, Next()));
        form["reason"] = "safety_concern"; // a valid skip reason, so the review page judges the id and not the form
        return (cell.Handler.Length > 0 ? $"{path}?handler={cell.Handler}" : path, form);
    }

    private static bool IsScoped(string route, string name) => name switch
    {
        "skillCode" or "kind" or "documentName" or "handler?" or "**path" or "code:int?" => false,
        "id:guid" => route.Contains("/training/uploads/", StringComparison.Ordinal) || IsChamber(route),
        "id:long" or "id:long?" => !route.StartsWith("/jobs/", StringComparison.Ordinal) && !route.StartsWith("/api/board/", StringComparison.Ordinal),
        _ => true,
    };

    private static string Unscoped(string route, string name, SecurityWorld world) => name switch
    {
        "id:guid" when route.StartsWith("/admin/organisations/", StringComparison.Ordinal) => world.Own.Worker.AgencyId.ToString(),
        "skillCode" => SecurityWorld.SkillCode,
        "kind" => SecurityWorld.UploadKind,
        "documentName" => "v1",
        "handler?" => "",
        "**path" => "recurring",
        "code:int?" => "404",
        "id:guid" => world.Own.Employer.Id.ToString(), // the admin's employer pages: not scoped, any employer
        "id:long" => world.Own.Vacancy.ToString(System.Globalization.CultureInfo.InvariantCulture), // the public board
        _ => throw new InvalidOperationException($"no value for {{{name}}}"),
    };

    private static string Scoped(string route, string parameter, SecurityWorld.Side side)
    {
        var name = parameter.Split(':')[0].TrimEnd('?');
        var value = name switch
        {
            "reference" => (object)side.Seeker.Reference,
            "handle" => side.Handle,
            "trainee" => side.TraineeNumber,
            "consentId" => side.ConsentId,
            "enrolmentId" => side.EnrolmentId,
            "checkinId" => side.CheckinId,
            "code" => side.CourseCode,
            "id" when parameter == "id:guid" && IsChamber(route) => side.Employer.Id,
            "id" when parameter == "id:guid" => side.UploadId,
            "matchId" => route.Contains("/review", StringComparison.Ordinal) ? side.ReviewMatch : side.OfferMatch,
            "id" => route.StartsWith("/me/offers/", StringComparison.Ordinal) ? side.OfferMatch : side.Vacancy,
            _ => throw new InvalidOperationException($"no value for {{{parameter}}} in {route}"),
        };
        return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>A chamber admin's employer routes: the own side's employer claims the admin's body, the other side's another body.</summary>
    private static bool IsChamber(string route) =>
        route.StartsWith("/chamber/", StringComparison.Ordinal) || route.StartsWith("/api/chamber/", StringComparison.Ordinal);

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Parameter();
}
