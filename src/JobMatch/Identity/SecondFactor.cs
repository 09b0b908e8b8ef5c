using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace JobMatch.Identity;

internal sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Admins, chamber admins, case workers and training providers must pass a TOTP second factor (R10). On unless switched off.</summary>
    public bool RequireStaffTwoFactor { get; set; } = true;

    /// <summary>Cookies are Secure and <c>__Host-</c> prefixed; set in production behind HTTPS.</summary>
    public bool HttpsOnly { get; set; }
}

/// <summary>
/// Staff accounts reach nothing behind a policy until the session carries Identity's <c>amr=mfa</c> claim, which
/// <c>SignInManager</c> adds on a two-factor sign-in (R10). Employers and job seekers are not forced.
/// </summary>
internal static class SecondFactor
{
    public const string AmrClaim = "amr";
    public const string Mfa = "mfa";

    public static bool IsStaff(string? role) => role is Roles.Admin or Roles.CaseWorker or Roles.TrainingProvider or Roles.ChamberAdmin;
}

internal sealed class StaffSecondFactorRequirement : IAuthorizationRequirement
{
    public static readonly StaffSecondFactorRequirement Instance = new();
}

internal sealed class StaffSecondFactorHandler(IOptions<SecurityOptions> options) : AuthorizationHandler<StaffSecondFactorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, StaffSecondFactorRequirement requirement)
    {
        var user = context.User;
        if (!options.Value.RequireStaffTwoFactor
            || !SecondFactor.IsStaff(user.Role())
            || user.HasClaim(SecondFactor.AmrClaim, SecondFactor.Mfa))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Adds the staff second-factor requirement to every named policy, the default and the fallback policy, so that a
/// policy another feature registers later is covered without anyone remembering to add it.
/// </summary>
internal sealed class SecondFactorPolicyProvider(IOptions<AuthorizationOptions> options) : IAuthorizationPolicyProvider
{
    private readonly DefaultAuthorizationPolicyProvider _inner = new(options);

    // Policies are fixed once the app runs, so each is combined once. Keys: policy names, plus two that no policy
    // name can collide with for the default and fallback policies.
    private readonly ConcurrentDictionary<string, Task<AuthorizationPolicy?>> _policies = new(StringComparer.OrdinalIgnoreCase);

    public bool AllowsCachingPolicies => true;

    public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) =>
        _policies.GetOrAdd(policyName, async name => WithSecondFactor(await _inner.GetPolicyAsync(name)));

    public async Task<AuthorizationPolicy> GetDefaultPolicyAsync() =>
        (await _policies.GetOrAdd("\0default", async _ => WithSecondFactor(await _inner.GetDefaultPolicyAsync())))!;

    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() =>
        _policies.GetOrAdd("\0fallback", async _ => WithSecondFactor(await _inner.GetFallbackPolicyAsync()));

    private static AuthorizationPolicy? WithSecondFactor(AuthorizationPolicy? policy) =>
        policy is null || policy.Requirements.Contains(StaffSecondFactorRequirement.Instance)
            ? policy
            : new AuthorizationPolicyBuilder(policy).AddRequirements(StaffSecondFactorRequirement.Instance).Build();
}
