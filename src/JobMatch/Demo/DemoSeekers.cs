using JobMatch.Identity;
using JobMatch.Seekers;
using JobMatch.Training;
using Microsoft.AspNetCore.Identity;

namespace JobMatch.Demo;

/// <summary>
/// Demo mode: obviously fake seekers with skills and consent to be matched: three in the first demo agency (two
/// enrolled with the first training provider, one with its own sign-in) and two in the second agency, trainees of the
/// second provider (tailoring and dry fish, for the NASCIB self-employment places). Never used outside demo mode.
/// </summary>
internal sealed class DemoSeekers(SeekerRegistration registration, SeekerQueries seekers, SeekerSkills skills,
    EnrolmentQueries enrolments, SeekerAccounts accounts, UserManager<AppUser> users)
{
    public const string SignInName = "seeker@demo.jobmatch.local";

    private sealed record Person(string Name, string Phone, string? Email, string Upazila, string Gender, int BirthYear, string Sector, string Wants,
        (string Skill, int Level, string Source)[] Skills);

    /// <summary>The first agency's seekers (the first has the demo seeker sign-in; the first two are trainees).</summary>
    private static readonly Person[] FirstAgency =
    [
        new("Demo Seeker Ayesha (fake)", "01700-000001", SignInName, "coxs_bazar_sadar", "F", 1998, "hospitality", "wage", [("HOS-002", 2, "assessed"), ("HOS-004", 3, "self_declared")]),
        new("Demo Seeker Rahim (fake)", "01700-000002", null, "ramu", "M", 1995, "hospitality", "wage", [("HOS-001", 2, "self_declared")]),
        new("Demo Seeker Nasrin (fake)", "01700-000003", null, "ukhia", "F", 2001, "hospitality", "wage", [("HOS-003", 1, "self_declared"), ("HOS-004", 2, "self_declared")]),
    ];

    /// <summary>The second agency's seekers, both trainees of the second provider, looking for self-employment.</summary>
    private static readonly Person[] SecondAgency =
    [
        new("Demo Seeker Rokeya (fake)", "01700-000004", null, "ukhia", "F", 1997, "garments", "self", [("GAR-001", 3, "assessed"), ("GAR-006", 2, "assessed")]),
        new("Demo Seeker Jamila (fake)", "01700-000005", null, "maheshkhali", "F", 1993, "fisheries", "self", [("FSH-001", 2, "self_declared"), ("FSH-002", 2, "self_declared")]),
    ];

    /// <param name="second">The second agency's seekers (with the second provider) instead of the first's.</param>
    public async Task<IReadOnlyList<string>> CreateAsync(Guid agencyId, Guid providerId, string caseWorkerUserName, string password, CancellationToken ct,
        bool second = false)
    {
        var caseWorker = (await users.FindByNameAsync(caseWorkerUserName))?.Id ?? throw new InvalidOperationException("No demo case worker.");
        var people = second ? SecondAgency : FirstAgency;
        var references = new List<string>();
        foreach (var (p, i) in people.Select((p, i) => (p, i)))
        {
            var profile = new SeekerProfile
            {
                UpazilaCode = p.Upazila, EducationLevel = 2, Languages = ["bn"], Literacy = "basic", Wants = p.Wants,
                PreferredSectors = [p.Sector], ExpectedWageBdt = p.Wants == "wage" ? 9000 : 6000, MaxTravelKm = 15, HoursPerWeek = 40, Gender = p.Gender, BirthYear = p.BirthYear,
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
