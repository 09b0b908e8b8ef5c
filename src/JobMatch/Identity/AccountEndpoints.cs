using JobMatch.Audit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace JobMatch.Identity;

internal static class AccountEndpoints
{
    /// <summary>
    /// Sign-out changes the security stamp, so the old cookie is refused even if someone kept a copy of it
    /// (the stamp is checked on every request).
    /// </summary>
    public static void MapAccount(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", (HttpContext context) => Results.Ok(new
        {
            id = context.User.UserId(),
            role = context.User.Role(),
            organisationId = context.User.OrganisationId() is var org && org != Guid.Empty ? org : (Guid?)null,
            displayName = context.User.FindFirst(System.Security.Claims.ClaimTypes.GivenName)?.Value,
        })).RequireAuthorization(Policies.SignedIn).WithTags("Session");

        app.MapPost("/account/logout", async (HttpContext context, SignInManager<AppUser> signIn, UserManager<AppUser> users, AuditLog audit, CancellationToken ct) =>
        {
            // The antiforgery middleware only records its verdict; an endpoint without form parameters must act on it
            // itself, or a third-party page could sign people out (R14).
            if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
            {
                return Results.BadRequest();
            }
            var user = await users.GetUserAsync(context.User);
            if (user is not null)
            {
                await users.UpdateSecurityStampAsync(user);
                await audit.WriteAsync(AuditActions.SignOut, $"user:{user.Id}", ct);
            }
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/");
        }).RequireAuthorization(Policies.SignedIn)
            .WithMetadata(new RequireAntiforgeryTokenAttribute());
    }
}
