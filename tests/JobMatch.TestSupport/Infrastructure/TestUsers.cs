using JobMatch.Identity;
using Microsoft.AspNetCore.Identity;

namespace JobMatch.Tests.Infrastructure;

/// <summary>
/// Organisations and users made through the app's own services, for any host of the app (the in-process
/// <see cref="JobMatchApp"/> and the browser tests' Kestrel host alike).
/// </summary>
internal static class TestUsers
{
    public const string Password = "correct horse battery staple";

    /// <summary>The suite's PBKDF2 iteration count (the app allows lowering it only in the Testing environment).</summary>
    public const string PasswordIterations = "1000";

    public static async Task<Guid> CreateOrganisationAsync(IServiceProvider services, string kind, string? name = null, string? membership = null)
    {
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        return await accounts.CreateOrganisationAsync(kind, name ?? $"{kind} {Guid.NewGuid():N}", kind == "employer" ? membership ?? "chamber" : membership, CancellationToken.None);
    }

    /// <summary>
    /// Creates a user with <see cref="Password"/>. Staff (admin, case worker, training provider) get an enrolled
    /// authenticator app unless <paramref name="withAuthenticator"/> says otherwise, and <see cref="TestAuthenticator"/>
    /// remembers its key so a test can pass the second factor for them.
    /// </summary>
    public static async Task<AppUser> CreateUserAsync(IServiceProvider services, string role, Guid? organisationId, string? userName = null, string language = "en", bool? withAuthenticator = null)
    {
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var user = await accounts.CreateUserAsync(userName ?? $"{role}-{Guid.NewGuid():N}@test.jobmatch.local", Password, role, organisationId, $"Test {role}", language);
        if (withAuthenticator ?? SecondFactor.IsStaff(role))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
            TestAuthenticator.Remember(user.UserName, user.AuthenticatorKey!);
        }
        return user;
    }

    /// <summary>A user as the app sees it (sign-in name, e-mail and phone decrypted: they are stored only encrypted).</summary>
    public static async Task<AppUser> FindAsync(IServiceProvider services, Guid userId)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await users.FindByIdAsync(userId.ToString()) ?? throw new InvalidOperationException("No such user.");
    }

    /// <summary>Changes a user's e-mail address through the app's store (the column holds ciphertext, never a clear address).</summary>
    public static async Task SetEmailAsync(IServiceProvider services, Guid userId, string? email)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new InvalidOperationException("No such user.");
        var result = await users.SetEmailAsync(user, email);
        if (!result.Succeeded) throw new InvalidOperationException("Could not change the e-mail address.");
    }
}
