using System.Globalization;
using System.Security.Claims;
using JobMatch.Database;
using JobMatch.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace JobMatch.Identity;

internal static class IdentityExtensions
{
    public const int PasswordIterations = 600_000;

    public static WebApplicationBuilder AddJobMatchIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var httpsOnly = builder.Configuration.GetValue("Security:HttpsOnly", false);

        // Keys live in PostgreSQL so that every node on the database accepts every other node's cookies.
        services.AddDataProtection().SetApplicationName("JobMatch");
        // The key ring is encrypted with the field-encryption KEK, which lives outside the database (R20).
        services.AddOptions<KeyManagementOptions>()
            .Configure<NpgsqlDataSource, Privacy.KeyEncryptionKeys>((options, db, keks) =>
            {
                options.XmlRepository = new PostgresXmlRepository(db);
                options.XmlEncryptor = new Privacy.KeyRingEncryptor(keks);
            });

        services.AddSingleton(TimeProvider.System);
        services.AddScoped<IUserStore<AppUser>, UserStore>();
        services.AddIdentityCore<AppUser>(options =>
            {
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.User.RequireUniqueEmail = false;
                options.User.AllowedUserNameCharacters += "+";
                options.Tokens.AuthenticatorTokenProvider = OneTimeAuthenticatorTokenProvider.Name;
            })
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<OneTimeAuthenticatorTokenProvider>(OneTimeAuthenticatorTokenProvider.Name)
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddClaimsPrincipalFactory<JobMatchClaimsFactory>();

        // OWASP: PBKDF2-HMAC-SHA512 at 600,000 iterations (Identity's default is 100,000). Only the "Testing"
        // environment may lower it (Identity:TestPasswordIterations): the suite creates and signs in hundreds of
        // users, and at ~0.4 s a hash that alone would be minutes of CI. Hashes stay in the same V3 format.
        var iterations = builder.Environment.IsEnvironment("Testing")
            && builder.Configuration["Identity:TestPasswordIterations"] is { Length: > 0 } lowered
                ? int.Parse(lowered, System.Globalization.CultureInfo.InvariantCulture)
                : PasswordIterations;
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = iterations);
        // Check the security stamp on every request: sign-out and disabling an account end sessions at once.
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.Zero;
            options.OnRefreshingPrincipal = SessionClaims.KeepFromCurrentSession;
        });

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = httpsOnly ? "__Host-jm" : "jm";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = httpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = "/"; // required by the __Host- prefix
            options.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            options.SlidingExpiration = true;
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/denied";
            options.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
            options.Events.OnValidatePrincipal = async context =>
            {
                // Absolute session lifetime of 12 hours, whatever the sliding expiry says.
                var signedIn = context.Principal?.FindFirstValue(JobMatchClaims.SignedInAt);
                var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                if (signedIn is null || !long.TryParse(signedIn, NumberStyles.Integer, CultureInfo.InvariantCulture, out var at)
                    || now - DateTimeOffset.FromUnixTimeSeconds(at) > TimeSpan.FromHours(12))
                {
                    context.RejectPrincipal();
                    return;
                }
                await SecurityStampValidator.ValidatePrincipalAsync(context);
            };
        });

        // "Password checked, second factor pending": lives 5 minutes (Identity's default) and says nothing else.
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, options =>
        {
            options.Cookie.Name = httpsOnly ? "__Host-jm-2fa" : "jm-2fa";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = httpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = "/";
        });

        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section);
        services.AddSingleton<IAuthorizationHandler, StaffSecondFactorHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Web.OperatorAccess.Policy, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Employer, p => p.RequireRole(Roles.Employer))
            .AddPolicy(Policies.TrainingProvider, p => p.RequireRole(Roles.TrainingProvider))
            .AddPolicy(Policies.CaseWorker, p => p.RequireRole(Roles.CaseWorker))
            .AddPolicy(Policies.JobSeeker, p => p.RequireRole(Roles.JobSeeker))
            .AddPolicy(Policies.ChamberAdmin, p => p.RequireRole(Roles.ChamberAdmin))
            .AddPolicy(Policies.CaseWork, p => p.RequireRole(Roles.CaseWorker, Roles.Admin))
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser())
            // Defence in depth: an endpoint someone forgot to mark still needs a signed-in user
            // (and the endpoint-policy test fails on it).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        // After AddAuthorizationBuilder, so it replaces the default provider.
        services.AddSingleton<IAuthorizationPolicyProvider, SecondFactorPolicyProvider>();

        services.AddSingleton<DecoyPassword>();
        services.AddSignInRateLimits(builder.Configuration);
        services.AddScoped<SignInRecord>();
        services.AddScoped<AuthenticatorEnrolment>();
        services.AddScoped<UserAccounts>();
        services.AddScoped<DemoUsers>();
        return builder;
    }

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/admin/jobs"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
