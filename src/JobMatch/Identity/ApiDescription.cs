using Microsoft.AspNetCore.Authorization;

namespace JobMatch.Identity;

/// <summary>
/// The OpenAPI documents. <c>/openapi/v1.json</c> is public and describes only the anonymous routes (the job board,
/// the antiforgery token, health): a public description of the case-work API told any visitor that JobMatch keeps
/// survivor status and referral sources. <c>/openapi/full.json</c> describes every route and needs a staff sign-in
/// with its second factor.
/// </summary>
internal static class ApiDescription
{
    public const string PublicDocument = "v1";
    public const string FullDocument = "full";

    private static readonly AuthorizationPolicy Staff = new AuthorizationPolicyBuilder()
        .RequireRole(Roles.Admin, Roles.CaseWorker, Roles.TrainingProvider)
        .AddRequirements(StaffSecondFactorRequirement.Instance)
        .Build();

    public static IServiceCollection AddApiDescription(this IServiceCollection services)
    {
        services.AddOpenApi(PublicDocument, options => options.ShouldInclude =
            api => api.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any());
        services.AddOpenApi(FullDocument);
        return services;
    }

    public static void MapApiDescription(this IEndpointRouteBuilder app) =>
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous()
            .AddEndpointFilter(async (context, next) =>
            {
                if (context.HttpContext.GetRouteValue("documentName") as string != FullDocument) return await next(context);
                var http = context.HttpContext;
                if (http.User.Identity?.IsAuthenticated != true) return Results.Unauthorized();
                var allowed = await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, Staff);
                return allowed.Succeeded ? await next(context) : Results.StatusCode(StatusCodes.Status403Forbidden);
            });
}
