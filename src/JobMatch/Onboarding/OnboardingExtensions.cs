using JobMatch.Identity;
using JobMatch.Web;
using Microsoft.Extensions.Localization;

namespace JobMatch.Onboarding;

/// <summary>Issue 17, programme onboarding: organisations, invitations (Pages/Admin/Organisations, Pages/Account/Invitation, Pages/CaseWork/Team).</summary>
internal static class OnboardingExtensions
{
    public sealed record InvitationInput(string? UserName, string? DisplayName, bool Lead = false, string? Language = null);

    /// <summary>
    /// The inviter's answer: the same fields whether or not the address already has an account (no enumeration);
    /// <see cref="Link"/> only where no mail server is set, for handing over.
    /// </summary>
    public sealed record InvitationAnswer(DateTimeOffset ExpiresAt, string? Link);

    public static WebApplicationBuilder AddOnboarding(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<Organisations>();
        builder.Services.AddScoped<Invitations>();
        // The invitee has no account yet: their address (and the mail's one-time link) come from the invitation.
        builder.Services.AddKeyedSingleton<Notifications.IRecipientResolver, InvitationRecipientResolver>(Notifications.RecipientKinds.Invitation);
        return builder;
    }

    /// <summary>
    /// <c>POST /api/admin/organisations/{id}/invitations</c> (the platform admin, any active agency, provider or body) and
    /// <c>POST /api/casework/team/invitations</c> (an agency's lead case worker, to their own agency): as the pages do.
    /// </summary>
    public static IEndpointRouteBuilder MapOnboarding(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/admin/organisations/{id:guid}/invitations", async (Guid id, InvitationInput input, HttpContext http,
            Organisations organisations, Invitations invitations, IStringLocalizer<Vacancies.BoardText> text, CancellationToken ct) =>
        {
            if (await organisations.FindAsync(id, ct) is not { } organisation || !Organisations.StaffRole.TryGetValue(organisation.Kind, out var role))
            {
                return Results.NotFound();
            }
            if (organisation.DeactivatedAt is not null) return Results.Conflict();
            return await InviteAsync(http, invitations, text, id, role, input, input.Lead && organisation.Kind == "case_agency", ct);
        }).RequireAuthorization(Policies.Admin).WithTags("Onboarding");

        app.MapPost("/api/casework/team/invitations", async (InvitationInput input, HttpContext http,
            Organisations organisations, Invitations invitations, IStringLocalizer<Vacancies.BoardText> text, CancellationToken ct) =>
        {
            if (!await organisations.IsLeadAsync(http.User.UserId(), ct)) return Results.Forbid();
            return await InviteAsync(http, invitations, text, http.User.OrganisationId(), Roles.CaseWorker, input, lead: false, ct);
        }).RequireAuthorization(Policies.CaseWorker).WithTags("Onboarding");
        return app;
    }

    private static async Task<IResult> InviteAsync(HttpContext http, Invitations invitations, IStringLocalizer<Vacancies.BoardText> text,
        Guid organisationId, string role, InvitationInput input, bool lead, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var created = await invitations.CreateAsync(organisationId, role, input.UserName, input.DisplayName, lead, http.User.UserId(), errors, ct, input.Language);
        if (created is null) return Results.ValidationProblem(errors.ToDictionary(text));
        return Results.Accepted(value: new InvitationAnswer(created.ExpiresAt,
            created.HandOverToken is { } token ? InvitationLinks.For(http.Request, token) : null));
    }
}
