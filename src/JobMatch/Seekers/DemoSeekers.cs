using JobMatch.Identity;
using JobMatch.Training;
using Microsoft.AspNetCore.Identity;

namespace JobMatch.Seekers;

/// <summary>
/// Demo mode: three obviously fake seekers in the demo agency with skills and consent to be matched, two enrolled
/// with the demo training provider, one with its own sign-in. Never used outside demo mode.
/// </summary>
internal sealed class DemoSeekers(SeekerRegistration registration, SeekerQueries seekers, SeekerSkills skills,
    EnrolmentQueries enrolments, SeekerAccounts accounts, UserManager<AppUser> users)
{
    public const string SignInName = "seeker@demo.jobmatch.local";

    public async Task<IReadOnlyList<string>> CreateAsync(Guid agencyId, Guid providerId, string caseWorkerUserName, string password, CancellationToken ct)
    {
        var caseWorker = (await users.FindByNameAsync(caseWorkerUserName))?.Id ?? throw new InvalidOperationException("No demo case worker.");
        (string Name, string Phone, string? Email, string Upazila, string Gender, int BirthYear, (string Skill, int Level, string Source)[] Skills)[] people =
        [
            ("Demo Seeker Ayesha (fake)", "01700-000001", SignInName, "coxs_bazar_sadar", "F", 1998, [("HOS-002", 2, "assessed"), ("HOS-004", 3, "self_declared")]),
            ("Demo Seeker Rahim (fake)", "01700-000002", null, "ramu", "M", 1995, [("HOS-001", 2, "self_declared")]),
            ("Demo Seeker Nasrin (fake)", "01700-000003", null, "ukhia", "F", 2001, [("HOS-003", 1, "self_declared"), ("HOS-004", 2, "self_declared")]),
        ];
        var references = new List<string>();
        foreach (var (p, i) in people.Select((p, i) => (p, i)))
        {
            var profile = new SeekerProfile
            {
                UpazilaCode = p.Upazila, EducationLevel = 2, Languages = ["bn"], Literacy = "basic", Wants = "wage",
                PreferredSectors = ["hospitality"], ExpectedWageBdt = 9000, MaxTravelKm = 15, HoursPerWeek = 40, Gender = p.Gender, BirthYear = p.BirthYear,
            };
            var result = await registration.RegisterAsync(new RegisterSeekerRequest(p.Name, null, p.Phone, p.Email, "Demo address, not real", null, "bn",
                profile, "in_person", ConfirmDuplicatePhone: true, ConfirmDuplicateEmail: true), agencyId, caseWorker, ct);
            if (result is not SeekerRegistration.Registered registered) throw new InvalidOperationException("Demo seeker was not registered.");
            references.Add(registered.Reference);
            foreach (var (skill, level, source) in p.Skills)
            {
                var certified = source == "assessed" ? providerId : (Guid?)null;
                await skills.UpsertAsync(registered.Id, new SeekerSkills.Write(skill, level, source, null, 6, certified), ct);
            }
            if (i < 2)
            {
                await enrolments.EnrolAsync(registered.Id, registered.Reference, providerId, "in_person", caseWorker, ct);
            }
            if (p.Email is not null && await seekers.FindAsync(registered.Reference, agencyId, ct) is { } row)
            {
                await accounts.SetPasswordAsync(row, password, useEmail: true, ct);
            }
        }
        return references;
    }
}
