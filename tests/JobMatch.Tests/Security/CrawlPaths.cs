using System.Text.RegularExpressions;

namespace JobMatch.Tests.Security;

/// <summary>Concrete paths for a route, every parameter filled with each real value of both sides of a <see cref="SecurityWorld"/>.</summary>
internal static partial class CrawlPaths
{
    /// <summary>The route with each parameter filled by every real value of both sides (ids of the other organisation included).</summary>
    public static IEnumerable<string> Of(string route, SecurityWorld world)
    {
        IEnumerable<string> paths = [route];
        foreach (Match parameter in Parameter().Matches(route))
        {
            var values = Values(route, parameter.Groups[1].Value, world).ToList();
            paths = paths.SelectMany(p => values.Select(v => p.Replace(parameter.Value, v, StringComparison.Ordinal))).ToList();
        }
        return paths;
    }

    private static IEnumerable<string> Values(string route, string parameter, SecurityWorld world)
    {
        SecurityWorld.Side[] sides = [world.Own, world.Other];
        var name = parameter.Split(':')[0].TrimEnd('?');
        IEnumerable<object> values = name switch
        {
            "reference" => sides.Select(s => s.Seeker.Reference),
            "handle" => sides.Select(s => s.Handle),
            "trainee" => sides.Select(s => s.TraineeNumber),
            "id" when parameter == "id:guid" => sides.SelectMany(s => new object[] { s.UploadId, s.Employer.Id }),
            "id" when route.StartsWith("/me/offers/", StringComparison.Ordinal) => sides.SelectMany(s => s.Matches.Cast<object>()),
            "id" => sides.SelectMany(s => s.Vacancies.Cast<object>()),
            "matchId" => sides.SelectMany(s => s.Matches.Cast<object>()),
            "checkinId" => sides.Select(s => (object)s.CheckinId),
            "consentId" => sides.Select(s => (object)s.ConsentId),
            "enrolmentId" => sides.Select(s => (object)s.EnrolmentId),
            "code" => sides.Select(s => s.CourseCode),
            "skillCode" => [SecurityWorld.SkillCode],
            "kind" => ["skills", "completions"],
            "documentName" => ["v1"],
            "handler" => [""],
            "**path" => ["", "recurring"],
            _ => throw new InvalidOperationException($"no crawl values for {{{parameter}}} in {route}"),
        };
        return values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!);
    }

    /// <summary>The routes a role may GET (pages included), from the endpoint catalogue the authorisation matrix uses.</summary>
    public static IReadOnlyList<EndpointInfo> Readable(SecurityWorld world, string role) =>
        EndpointCatalogue.All(world.App.Services)
            .Where(e => e.IsPage || e.Methods.Contains("GET") || e.Methods.Count == 0)
            .Where(e => e.Anonymous || e.Roles.Contains(role))
            .ToList();

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Parameter();
}
