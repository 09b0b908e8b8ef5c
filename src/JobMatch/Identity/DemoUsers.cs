using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace JobMatch.Identity;

/// <summary>
/// Demo mode: on the first start against the embedded database with no users, the demo organisations and a user
/// per role, with a generated password printed once to the console (never a fixed password in code). There are two
/// case agencies and two training providers, each with its own staff (and, from DemoSeekers, its own seekers and
/// trainees), so that what one partner cannot see of another is visible; and a NASCIB member with self-employment
/// places beside the Chamber's guest house.
/// </summary>
internal sealed class DemoUsers(NpgsqlDataSource db, UserAccounts accounts)
{
    public sealed record Created(string Password, IReadOnlyList<(string Role, string UserName)> Users, Guid EmployerId, Guid ProviderId, Guid AgencyId, Guid PlatformId,
        Guid SecondAgencyId, Guid SecondProviderId, Guid NascibEmployerId);

    public const string CaseWorker = "caseworker@demo.jobmatch.local";
    public const string SecondCaseWorker = "caseworker2@demo.jobmatch.local";

    public async Task<Created?> CreateIfEmptyAsync(CancellationToken ct)
    {
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM app_user)", cancellationToken: ct)))
            {
                return null;
            }
        }

        var password = GeneratePassword();
        var platform = await accounts.CreateOrganisationAsync("platform", "JobMatch Programme", null, ct);
        var employer = await accounts.CreateOrganisationAsync("employer", "Sea Pearl Guest House (demo)", "chamber", ct);
        var provider = await accounts.CreateOrganisationAsync("training_provider", "Coastal Skills Centre (demo)", null, ct);
        var agency = await accounts.CreateOrganisationAsync("case_agency", "Social Protection Partner (demo)", null, ct);
        var secondAgency = await accounts.CreateOrganisationAsync("case_agency", "Teknaf Women's Support Centre (demo)", null, ct);
        var secondProvider = await accounts.CreateOrganisationAsync("training_provider", "Ukhia Tailoring School (demo)", null, ct);
        var nascibEmployer = await accounts.CreateOrganisationAsync("employer", "Moheshkhali Dry Fish Processors (demo)", "nascib", ct);

        List<(string Role, string UserName)> created = [];
        async Task Add(string userName, string role, Guid? org, string name, string language)
        {
            await accounts.CreateUserAsync(userName, password, role, org, name, language);
            created.Add((role, userName));
        }
        await Add("admin@demo.jobmatch.local", Roles.Admin, platform, "Programme Admin", "en");
        await Add("employer@demo.jobmatch.local", Roles.Employer, employer, "Employer Demo", "en");
        await Add("trainer@demo.jobmatch.local", Roles.TrainingProvider, provider, "Trainer Demo", "en");
        await Add(CaseWorker, Roles.CaseWorker, agency, "Case Worker Demo", "bn");
        await Add("trainer2@demo.jobmatch.local", Roles.TrainingProvider, secondProvider, "Second Trainer Demo", "bn");
        await Add(SecondCaseWorker, Roles.CaseWorker, secondAgency, "Second Case Worker Demo", "bn");
        await Add("nascib-employer@demo.jobmatch.local", Roles.Employer, nascibEmployer, "NASCIB Member Demo", "bn");
        return new Created(password, created, employer, provider, agency, platform, secondAgency, secondProvider, nascibEmployer);
    }

    private static string GeneratePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        return string.Create(16, alphabet, (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
        });
    }
}
