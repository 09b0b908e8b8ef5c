using JobMatch.Identity;

namespace JobMatch.Tests.Security;

/// <summary>
/// The authorisation matrix (SECURITY.md R5, R6; OWASP "Authorization Testing Automation"): for every route of the
/// app, which callers it admits and how the ids in its path are scoped. <see cref="AuthorizationMatrixTests"/> checks
/// that this table names every route <see cref="EndpointCatalogue"/> finds (a new endpoint fails until it is
/// classified here) and turns each row into requests: every caller × own / other organisation → expected status.
/// </summary>
internal static class AuthorizationMatrix
{
    /// <summary>How the ids in a route's path belong to an organisation; a foreign id must answer 404, never 403.</summary>
    public enum Scope
    {
        /// <summary>No id, or an id every admitted caller may use (public vacancies, the admin's employers).</summary>
        None,
        /// <summary>The case worker's agency: the seeker, its consents and enrolments, the matches under review or relayed.</summary>
        Agency,
        /// <summary>The employer's organisation: its vacancies, their candidates, its check-ins.</summary>
        Employer,
        /// <summary>The training provider: its enrolled trainees, its courses, its uploads.</summary>
        Provider,
        /// <summary>The signed-in seeker: their own offers.</summary>
        Seeker,
        /// <summary>The chamber admin's membership body: the employers claiming membership of it.</summary>
        Chamber,
    }

    /// <summary>What a caller is to try: the own organisation's ids, another's, or (two ids) own first and foreign second.</summary>
    public enum Ownership { Own, Other, Mixed }

    public enum Expected { Success, Redirect, NotFound, Refused, ErrorPage }

    public sealed record Row(string Method, string Route, IReadOnlyList<string> Admitted, Scope Scope, bool IsPage, Expected OwnGet = Expected.Success)
    {
        public bool IsSafe => Method == "GET";
    }

    /// <summary>One request of the matrix: a row, and for a page's POST the handler and its id fields sent in the form.</summary>
    public sealed record Cell(Row Row, string Handler, IReadOnlyList<string> FormIds, string Caller, Ownership Ownership, Expected Expected)
    {
        /// <summary>The ids a foreign caller would swap: route parameters that belong to an organisation, then the form's.</summary>
        public int ScopedIds => MatrixPaths.ScopedParameters(Row.Route).Count + FormIds.Count;
    }

    private const string Anyone = "anyone";      // anonymous and every role
    private const string SignedIn = "signed-in"; // every role

    /// <summary>
    /// method route | callers | scope [| outcome]. PAGE rows are Razor Pages (GET and POST); ANY is a route without
    /// methods. Outcome of an admitted caller's own GET when not 2xx: "redirect", the page sends the caller on (a sign-in
    /// step outside a sign-in; a search without a term); "notfound", the gateway's callbacks, which without the gateway's
    /// secret answer 404 as if they did not exist; "error", the error page, which answers the status it names.
    /// </summary>
    private const string Table =
        """
        PAGE   /                                                               | anyone            | none
        PAGE   /account/authenticator                                          | signed-in         | none
        PAGE   /account/denied                                                 | anyone            | none
        PAGE   /account/enrol-authenticator                                    | anyone            | none | redirect
        PAGE   /account/invitation                                             | anyone            | none
        PAGE   /account/login                                                  | anyone            | none
        POST   /account/logout                                                 | signed-in         | none
        PAGE   /account/two-factor                                             | anyone            | none | redirect
        PAGE   /admin                                                          | admin             | none
        PAGE   /admin/employers                                                | admin             | none
        PAGE   /admin/employers/new                                            | admin             | none
        PAGE   /admin/employers/{id:guid}                                      | admin             | none
        ANY    /admin/jobs/{**path}                                            | admin             | none
        PAGE   /admin/model                                                    | admin             | none
        PAGE   /admin/organisations                                            | admin             | none
        PAGE   /admin/organisations/{id:guid}                                  | admin             | none
        PAGE   /admin/outbox/{handler?}                                        | admin             | none
        PAGE   /admin/programme                                                | admin             | none
        GET    /admin/programme.csv                                            | admin             | none
        PAGE   /admin/vacancies/import                                         | admin             | none
        POST   /api/admin/organisations/{id:guid}/invitations                  | admin             | none
        GET    /api/admin/programme                                            | admin             | none
        GET    /api/antiforgery                                                | anyone            | none
        GET    /api/board                                                      | anyone            | none
        GET    /api/board/{id:long}                                            | anyone            | none
        GET    /api/casework/offers/                                           | case_worker       | none
        POST   /api/casework/offers/{matchId:long}/accept                      | case_worker       | agency
        POST   /api/casework/offers/{matchId:long}/decline                     | case_worker       | agency
        POST   /api/casework/offers/{matchId:long}/withdraw                    | case_worker       | agency
        GET    /api/casework/review/                                           | case_worker       | none
        POST   /api/casework/review/{matchId:long}/approve                     | case_worker       | agency
        POST   /api/casework/review/{matchId:long}/skip                        | case_worker       | agency
        GET    /api/casework/seekers/                                          | case_worker       | none
        POST   /api/casework/seekers/                                          | case_worker       | none
        GET    /api/casework/seekers/{reference}                               | case_worker       | agency
        DELETE /api/casework/seekers/{reference}                               | case_worker       | agency
        GET    /api/casework/seekers/{reference}/access-log                    | case_worker       | agency
        GET    /api/casework/seekers/{reference}/casefile                      | case_worker       | agency
        PUT    /api/casework/seekers/{reference}/casefile                      | case_worker       | agency
        POST   /api/casework/seekers/{reference}/casefile/notes                | case_worker       | agency
        POST   /api/casework/seekers/{reference}/consents                      | case_worker       | agency
        POST   /api/casework/seekers/{reference}/consents/{consentId:long}/withdraw | case_worker  | agency
        POST   /api/casework/seekers/{reference}/enrolments                    | case_worker       | agency
        POST   /api/casework/seekers/{reference}/enrolments/{enrolmentId:long}/end | case_worker   | agency
        POST   /api/casework/seekers/{reference}/password                      | case_worker       | agency
        PUT    /api/casework/seekers/{reference}/profile                       | case_worker       | agency
        PUT    /api/casework/seekers/{reference}/rules                         | case_worker       | agency
        PUT    /api/casework/seekers/{reference}/skills/{skillCode}            | case_worker       | agency
        PUT    /api/casework/seekers/{reference}/status                        | case_worker       | agency
        DELETE /api/casework/seekers/{reference}/skills/{skillCode}            | case_worker       | agency
        POST   /api/casework/team/invitations                                  | case_worker       | none
        GET    /api/employer/checkins/                                         | employer          | none
        POST   /api/employer/checkins/{checkinId:long}                         | employer          | employer
        GET    /api/employer/vacancies/{id:long}/candidates/{handle}           | employer          | employer
        POST   /api/employer/vacancies/{id:long}/candidates/{handle}/invite    | employer          | employer
        POST   /api/employer/vacancies/{id:long}/candidates/{handle}/outcome   | employer         | employer
        GET    /api/employer/vacancies/{id:long}/shortlist                     | employer          | employer
        GET    /api/employers/                                                 | admin             | none
        POST   /api/employers/                                                 | admin             | none
        GET    /api/employers/me/                                              | employer          | none
        PUT    /api/employers/me/                                              | employer          | none
        GET    /api/employers/{id:guid}                                        | admin             | none
        POST   /api/employers/{id:guid}/suspend                                | admin             | none
        POST   /api/employers/{id:guid}/verify                                 | admin             | none
        GET    /api/me                                                         | signed-in         | none
        GET    /api/me/offers/                                                 | job_seeker        | none
        GET    /api/me/offers/{matchId:long}                                   | job_seeker        | seeker
        POST   /api/me/offers/{matchId:long}/accept                            | job_seeker        | seeker
        POST   /api/me/offers/{matchId:long}/decline                           | job_seeker        | seeker
        POST   /api/me/offers/{matchId:long}/withdraw                          | job_seeker        | seeker
        GET    /api/training/courses                                           | training_provider | none
        POST   /api/training/courses                                           | training_provider | none
        POST   /api/training/courses/{code}/completions                        | training_provider | provider
        GET    /api/training/trainees                                          | training_provider | none
        GET    /api/training/trainees/{trainee}                                | training_provider | provider
        PUT    /api/training/trainees/{trainee}/skills/{skillCode}             | training_provider | provider
        GET    /api/training/uploads/template/{kind}                           | training_provider | none
        GET    /api/training/uploads/{id:guid}                                 | training_provider | provider
        POST   /api/training/uploads/{id:guid}/commit                          | training_provider | provider
        POST   /api/training/uploads/{kind}                                    | training_provider | none
        GET    /api/vacancies/                                                 | employer          | none
        POST   /api/vacancies/                                                 | employer          | none
        GET    /api/vacancies/{id:long}                                        | employer          | employer
        PUT    /api/vacancies/{id:long}                                        | employer          | employer
        POST   /api/vacancies/{id:long}/close                                  | employer          | employer
        POST   /api/vacancies/{id:long}/copy                                   | employer          | employer
        POST   /api/vacancies/{id:long}/fill                                   | employer          | employer
        POST   /api/vacancies/{id:long}/publish                                | employer          | employer
        POST   /api/vacancy-imports                                            | admin             | none
        GET    /api/chamber/employers                                          | chamber_admin     | none
        GET    /api/chamber/employers/{id:guid}                                | chamber_admin     | chamber
        POST   /api/chamber/employers/{id:guid}/reinstate                      | chamber_admin     | chamber
        POST   /api/chamber/employers/{id:guid}/suspend                        | chamber_admin     | chamber
        POST   /api/chamber/employers/{id:guid}/verify                         | chamber_admin     | chamber
        GET    /api/chamber/figures                                            | chamber_admin     | none
        PAGE   /casework                                                       | case_worker       | none
        PAGE   /casework/offers                                                | case_worker       | agency
        PAGE   /casework/open                                                  | case_worker       | none | redirect
        PAGE   /casework/register                                              | case_worker       | none
        PAGE   /casework/review                                                | case_worker       | agency
        PAGE   /casework/seekers/{reference}                                   | case_worker       | agency
        PAGE   /casework/team                                                  | case_worker       | none
        PAGE   /casework/seekers/{reference}/account                           | case_worker       | agency
        PAGE   /casework/seekers/{reference}/casefile                          | case_worker       | agency
        PAGE   /casework/seekers/{reference}/profile                           | case_worker       | agency
        PAGE   /chamber                                                        | chamber_admin     | none
        PAGE   /chamber/employers                                              | chamber_admin     | none
        PAGE   /chamber/employers/{id:guid}                                    | chamber_admin     | chamber
        PAGE   /employer                                                       | employer          | employer
        PAGE   /employer/checkins                                              | employer          | employer
        PAGE   /employer/profile                                               | employer          | none
        PAGE   /employer/vacancies/{id:long}/candidates/{handle}               | employer          | employer
        PAGE   /employer/vacancies/{id:long}/shortlist                         | employer          | employer
        PAGE   /employer/vacancy/{id:long?}                                    | employer          | employer
        PAGE   /error/{code:int?}                                              | anyone            | none | error
        ANY    /health/live                                                    | anyone            | none
        ANY    /health/ready                                                   | anyone            | none
        PAGE   /jobs                                                           | anyone            | none
        PAGE   /jobs/{id:long}                                                 | anyone            | none
        POST   /language                                                       | anyone            | none
        PAGE   /me/offers                                                      | job_seeker        | none
        PAGE   /me/offers/{id:long}                                            | job_seeker        | seeker
        GET    /openapi/{documentName}.json                                    | anyone            | none
        PAGE   /register/employer                                              | anyone            | none
        GET    /sms/dlr                                                        | anyone            | none | notfound
        POST   /sms/mo                                                         | anyone            | none | notfound
        PAGE   /training                                                       | training_provider | none
        PAGE   /training/courses                                               | training_provider | none
        PAGE   /training/demand                                                | training_provider | none
        GET    /training/demand.csv                                            | training_provider | none
        PAGE   /training/upload                                                | training_provider | none
        """;

    public const string AnonymousCaller = "anonymous";
    public static IReadOnlyList<string> Callers { get; } = [AnonymousCaller, .. Roles.All];

    /// <summary>The table, one row per (method, route): PAGE rows become a GET and a POST row, ANY a GET row.</summary>
    public static IReadOnlyList<Row> Rows { get; } = Parse();

    /// <summary>The catalogue's (method, route) keys this table must cover: PAGE for pages, ANY for routes without methods.</summary>
    public static IEnumerable<(string Method, string Route, IReadOnlyList<string> Admitted)> Declared() =>
        Lines().Select(l => (l.Method, l.Route, l.Admitted));

    /// <summary>
    /// Every cell: row × caller × ownership, with the expected outcome. Foreign ids are tried by admitted callers on
    /// scoped rows; a page's POST is tried once per handler (OnPost{Handler}), with the handler's id fields in the form.
    /// </summary>
    public static IEnumerable<Cell> Cells()
    {
        foreach (var row in Rows)
        {
            foreach (var caller in Callers)
            {
                if (!row.Admitted.Contains(caller))
                {
                    yield return new Cell(row, "", [], caller, Ownership.Own, Expected.Refused);
                    continue;
                }
                // An admitted caller's own unsafe request would really change the world; what it may change is the
                // feature tests' and MassAssignmentTests' business. Anonymous pages' POSTs (sign-in, language) likewise.
                if (row.IsSafe) yield return new Cell(row, "", [], caller, Ownership.Own, row.OwnGet);
                if (row.Scope == Scope.None || caller == AnonymousCaller) continue;
                var variants = row.IsPage && !row.IsSafe
                    ? PageHandlers.Post(row.Route).Select(h => new Cell(row, h.Name, h.FormIds, caller, Ownership.Other, Expected.NotFound))
                    : [new Cell(row, "", [], caller, Ownership.Other, Expected.NotFound)];
                foreach (var cell in variants.Where(c => c.ScopedIds > 0))
                {
                    yield return cell;
                    if (cell.ScopedIds > 1) yield return cell with { Ownership = Ownership.Mixed };
                }
            }
        }
    }

    private static IEnumerable<(string Method, string Route, IReadOnlyList<string> Admitted, Scope Scope, Expected OwnGet)> Lines() =>
        Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
        {
            var parts = line.Split('|', StringSplitOptions.TrimEntries);
            var head = parts[0].Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            IReadOnlyList<string> admitted = parts[1] switch
            {
                Anyone => Callers,
                SignedIn => Roles.All,
                var list => list.Split(',', StringSplitOptions.TrimEntries),
            };
            return (head[0], head[1], admitted, Enum.Parse<Scope>(parts[2], ignoreCase: true), parts.Length > 3 ? Outcome(parts[3]) : Expected.Success);
        });

    private static Expected Outcome(string column) => column switch
    {
        "redirect" => Expected.Redirect,
        "notfound" => Expected.NotFound,
        "error" => Expected.ErrorPage,
        _ => throw new InvalidOperationException($"unknown outcome '{column}' in the matrix"),
    };

    private static List<Row> Parse() =>
        Lines().SelectMany(l => l.Method switch
        {
            "PAGE" => new[] { new Row("GET", l.Route, l.Admitted, l.Scope, true, l.OwnGet), new Row("POST", l.Route, l.Admitted, l.Scope, true) },
            "ANY" => [new Row("GET", l.Route, l.Admitted, l.Scope, false, l.OwnGet)],
            _ => [new Row(l.Method, l.Route, l.Admitted, l.Scope, false, l.OwnGet)],
        }).ToList();
}

/// <summary>
/// The POST handlers of each Razor Page, read from the compiled pages (route template → model type → OnPost{Name}
/// methods), and which of their parameters are ids of an organisation's records, sent as form fields.
/// </summary>
internal static class PageHandlers
{
    public sealed record Handler(string Name, IReadOnlyList<string> FormIds);

    /// <summary>Form parameter names that carry the id of an organisation's record.</summary>
    public static readonly string[] ScopedFormIds = ["id", "matchId", "checkinId", "consentId", "enrolmentId"];

    private static readonly Lazy<Dictionary<string, List<Handler>>> ByRoute = new(Load);

    public static IReadOnlyList<Handler> Post(string route) => ByRoute.Value.TryGetValue(route, out var handlers) ? handlers : [];

    private static Dictionary<string, List<Handler>> Load()
    {
        var result = new Dictionary<string, List<Handler>>(StringComparer.Ordinal);
        foreach (var page in typeof(Program).Assembly.GetTypes())
        {
            var template = page.GetCustomAttributes(typeof(Microsoft.AspNetCore.Razor.Hosting.RazorCompiledItemMetadataAttribute), false)
                .Cast<Microsoft.AspNetCore.Razor.Hosting.RazorCompiledItemMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RouteTemplate")?.Value;
            var model = page.GetProperty("Model", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)?.PropertyType;
            if (template is null || model is null) continue;
            var handlers = model.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
                .Where(m => m.Name.StartsWith("OnPost", StringComparison.Ordinal))
                .Select(m => new Handler(
                    m.Name["OnPost".Length..].Replace("Async", "", StringComparison.Ordinal),
                    m.GetParameters().Select(p => p.Name!).Where(n => ScopedFormIds.Contains(n) && !template.Contains("{" + n, StringComparison.Ordinal)).ToList()))
                .ToList();
            result["/" + template.TrimStart('/')] = handlers;
        }
        return result;
    }
}
