namespace JobMatch.Onboarding;

/// <summary>Issue 17, programme onboarding: organisations, invitations (Pages/Admin/Organisations, Pages/Account/Invitation, Pages/CaseWork/Team).</summary>
internal static class OnboardingExtensions
{
    public static WebApplicationBuilder AddOnboarding(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<Organisations>();
        builder.Services.AddScoped<Invitations>();
        return builder;
    }
}
