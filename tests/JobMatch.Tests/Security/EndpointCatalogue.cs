using System.Globalization;
using System.Reflection;
using JobMatch.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace JobMatch.Tests.Security;

/// <summary>
/// Every route of the running app, read from <see cref="EndpointDataSource"/> so that endpoints added later by any
/// feature are covered without changing the tests: its methods, whether it is anonymous, which roles its policies
/// admit, and a concrete path with plausible values in its route parameters.
/// </summary>
internal sealed record EndpointInfo(string Route, string Path, IReadOnlyList<string> Methods, bool Anonymous, bool IsPage, IReadOnlyList<string> Roles)
{
    public bool HasParameters => Route.Contains('{');
    public bool IsApi => Path.StartsWith("/api/", StringComparison.Ordinal) || Path == "/api";
    public override string ToString() => Route;
}

internal static class EndpointCatalogue
{
    /// <summary>The roles each policy name admits; a policy not listed here is tried with every role.</summary>
    private static readonly Dictionary<string, string[]> PolicyRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        [Policies.Admin] = [Roles.Admin],
        [Policies.Employer] = [Roles.Employer],
        [Policies.TrainingProvider] = [Roles.TrainingProvider],
        [Policies.CaseWorker] = [Roles.CaseWorker],
        [Policies.JobSeeker] = [Roles.JobSeeker],
        [Policies.ChamberAdmin] = [Roles.ChamberAdmin],
        [Policies.CaseWork] = [Roles.CaseWorker, Roles.Admin],
    };

    public static IReadOnlyList<EndpointInfo> All(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(Describe)
            .GroupBy(e => (e.Route, string.Join(',', e.Methods)))
            .Select(g => g.First())
            .OrderBy(e => e.Route, StringComparer.Ordinal)
            .ToList();

    private static EndpointInfo Describe(RouteEndpoint endpoint)
    {
        var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
        var isPage = endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null;
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToList() ?? [];
        var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().Where(p => p.Length > 0).ToList();
        // Every policy on the endpoint must admit the role; an unknown policy does not narrow the set.
        IEnumerable<string> roles = Roles.All;
        foreach (var policy in policies)
        {
            if (PolicyRoles.TryGetValue(policy, out var admitted)) roles = roles.Intersect(admitted);
        }
        var handler = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault();
        return new EndpointInfo(route, FillParameters(endpoint.RoutePattern, handler), methods, anonymous, isPage, roles.ToList());
    }

    private static string FillParameters(RoutePattern pattern, MethodInfo? handler)
    {
        var segments = new List<string>();
        foreach (var segment in pattern.PathSegments)
        {
            var text = string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternSeparatorPart separator => separator.Content,
                RoutePatternParameterPart parameter => ValueFor(parameter, handler),
                _ => "",
            }));
            segments.Add(text);
        }
        return "/" + string.Join('/', segments);
    }

    private static string ValueFor(RoutePatternParameterPart parameter, MethodInfo? handler)
    {
        // The Hangfire dashboard's catch-all: one of its real commands (a POST that triggers recurring jobs).
        if (parameter.IsCatchAll) return "recurring/trigger";
        var constraints = parameter.ParameterPolicies.Select(p => p.Content ?? "").ToList();
        var type = handler?.GetParameters().FirstOrDefault(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))?.ParameterType;
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (constraints.Contains("guid") || type == typeof(Guid)) return Guid.NewGuid().ToString();
        if (constraints.Any(c => c is "int" or "long") || type == typeof(int) || type == typeof(long)) return "1";
        if (constraints.Contains("bool") || type == typeof(bool)) return "true";
        if (type == typeof(DateOnly) || constraints.Contains("datetime")) return DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return parameter.Name == "documentName" ? "v1" : "x";
    }
}
