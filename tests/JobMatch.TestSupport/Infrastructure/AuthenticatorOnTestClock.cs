using JobMatch.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JobMatch.Tests.Infrastructure;

/// <summary>
/// The app's own TOTP check (<see cref="OneTimeAuthenticatorTokenProvider"/>: window, each step once) reading the
/// signing-in user's clock of the <see cref="TestAuthenticator"/> instead of the app's clock. Only this check's clock
/// is replaced: sessions, board dates, retention and the outbox keep the app's <see cref="TimeProvider"/>, so a test
/// authenticator running some steps ahead moves nothing else, and apps sharing one database agree on every user's time.
/// </summary>
internal sealed class AuthenticatorOnTestClock(NpgsqlDataSource db) : IUserTwoFactorTokenProvider<AppUser>
{
    /// <summary>Registered by every test host (after the app's own registrations).</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddTransient<AuthenticatorOnTestClock>();
        services.Configure<IdentityOptions>(options =>
            options.Tokens.ProviderMap[OneTimeAuthenticatorTokenProvider.Name] = new TokenProviderDescriptor(typeof(AuthenticatorOnTestClock)));
    }

    public Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user) =>
        For(user).GenerateAsync(purpose, manager, user);

    public Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user) =>
        For(user).ValidateAsync(purpose, token, manager, user);

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) =>
        For(user).CanGenerateTwoFactorTokenAsync(manager, user);

    private OneTimeAuthenticatorTokenProvider For(AppUser user) => new(db, TestAuthenticator.ClockFor(user.UserName ?? ""));
}
