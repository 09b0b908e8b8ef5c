using JobMatch.Database;
using JobMatch.Identity;
using Microsoft.Extensions.Options;

namespace JobMatch.Demo;

/// <summary>
/// Demo mode: the first start against the embedded database (nothing configured) creates one organisation and
/// user per role and prints their sign-in names with a generated password. Never runs against a configured server
/// unless <c>Demo:Enabled</c> is set explicitly.
/// </summary>
internal static class DemoMode
{
    public static async Task CreateDemoDataAsync(this WebApplication app)
    {
        var embedded = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Embedded;
        if (!app.Configuration.GetValue("Demo:Enabled", embedded)) return;

        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<DemoUsers>().CreateIfEmptyAsync(CancellationToken.None);
        if (created is null) return;

        var demoSeekers = scope.ServiceProvider.GetRequiredService<DemoSeekers>();
        var seekers = await demoSeekers.CreateAsync(created.AgencyId, created.ProviderId, DemoUsers.CaseWorker, created.Password, CancellationToken.None);
        var secondSeekers = await demoSeekers.CreateAsync(created.SecondAgencyId, created.SecondProviderId, DemoUsers.SecondCaseWorker, created.Password,
            CancellationToken.None, second: true);

        var admin = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByNameAsync("admin@demo.jobmatch.local");
        var vacancies = await scope.ServiceProvider.GetRequiredService<Vacancies.DemoVacancies>().CreateAsync(created.EmployerId, admin!.Id, CancellationToken.None,
            created.NascibEmployerId);
        var proposer = scope.ServiceProvider.GetRequiredService<Matching.MatchProposer>();
        foreach (var vacancy in vacancies) await proposer.ProposeForVacancyAsync(vacancy, CancellationToken.None);

        var lines = new List<string> { "", "JobMatch demo accounts (shown once; the password is generated for this installation):" };
        lines.AddRange(created.Users.Select(u => $"  {u.Role,-18} {u.UserName}"));
        lines.Add($"  {Roles.JobSeeker,-18} {DemoSeekers.SignInName} (demo seeker {seekers[0]}; {seekers.Count} fake seekers in the first agency, {secondSeekers.Count} in the second)");
        lines.Add($"  password for all:  {created.Password}");
        lines.Add("  Admin, case worker and trainer set up an authenticator app (TOTP) at their first sign-in: the page");
        lines.Add("  shows a setup key to type into Google Authenticator, Microsoft Authenticator, FreeOTP or similar.");
        lines.Add("");
        // Straight to the console, not the logger: this is the operator's one-time instruction, not a log line.
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
