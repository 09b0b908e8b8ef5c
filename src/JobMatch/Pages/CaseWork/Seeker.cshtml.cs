using JobMatch.Consent;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.Seekers;
using JobMatch.Training;
using JobMatch.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.CaseWork;

/// <summary>One seeker: identity (each view audited), consents, skills, enrolments, proposals and offers. Other agencies' seekers are 404.</summary>
[Authorize(Policy = Policies.CaseWorker)]
internal sealed class SeekerModel(SeekerQueries seekers, SeekerIdentities identities, ConsentQueries consents, SeekerSkills skills,
    EnrolmentQueries enrolments, ReviewQueries reviews) : PageModel
{
    public SeekerRow Seeker { get; private set; } = null!;
    public SeekerIdentity? Identity { get; private set; }
    public IReadOnlyList<ConsentQueries.ConsentRow> Consents { get; private set; } = [];
    public IReadOnlyList<SeekerSkillView> Skills { get; private set; } = [];
    public IReadOnlyList<EnrolmentQueries.EnrolmentRow> Enrolments { get; private set; } = [];
    public IReadOnlyList<EnrolmentQueries.Provider> Providers { get; private set; } = [];
    public IReadOnlyList<ReviewQueries.SeekerMatch> Matches { get; private set; } = [];
    public bool Matchable { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken ct) =>
        await LoadAsync(reference, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostConsentAsync(string reference, string purpose, string method, Guid? employerId, long? vacancyId,
        string[]? channels, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        (_, Errors) = await consents.GrantAsync(s.Id, s.Reference, new ConsentQueries.Grant(purpose ?? "", method ?? "", employerId, vacancyId, null, channels),
            User.UserId(), ct);
        return await AfterPostAsync(reference, ct);
    }

    public async Task<IActionResult> OnPostWithdrawAsync(string reference, long consentId, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        // Another seeker's consent (or one already withdrawn) is not found, as in the API: no silent "done".
        if (!await consents.WithdrawAsync(s.Id, s.Reference, consentId, User.UserId(), ct)) return NotFound();
        return Redirect($"/casework/seekers/{s.Reference}");
    }

    public async Task<IActionResult> OnPostStatusAsync(string reference, string status, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        var change = await seekers.SetStatusAsync(s.Id, s.Reference, status, User.UserId(), ct);
        if (!change.Found) return NotFound();
        Errors = change.Errors;
        return await AfterPostAsync(reference, ct);
    }

    public async Task<IActionResult> OnPostSkillAsync(string reference, string skillCode, int level, string source, DateOnly? certifiedOn, int monthsExperience, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        Errors = await skills.UpsertAsync(s.Id, new SeekerSkills.Write((skillCode ?? "").Trim(), level, source ?? "", certifiedOn, monthsExperience, null), ct);
        return await AfterPostAsync(reference, ct);
    }

    public async Task<IActionResult> OnPostRemoveSkillAsync(string reference, string skillCode, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        await skills.DeleteAsync(s.Id, skillCode, ct);
        return Redirect($"/casework/seekers/{s.Reference}");
    }

    public async Task<IActionResult> OnPostEnrolAsync(string reference, Guid providerId, string consentMethod, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        Errors = await enrolments.EnrolAsync(s.Id, s.Reference, providerId, consentMethod ?? "", User.UserId(), ct);
        return await AfterPostAsync(reference, ct);
    }

    public async Task<IActionResult> OnPostEndEnrolmentAsync(string reference, long enrolmentId, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return NotFound();
        if (!await enrolments.EndAsync(s.Id, s.Reference, enrolmentId, ct)) return NotFound();
        return Redirect($"/casework/seekers/{s.Reference}");
    }

    private async Task<IActionResult> AfterPostAsync(string reference, CancellationToken ct)
    {
        if (Errors.Count == 0) return Redirect($"/casework/seekers/{SeekerReference.Normalize(reference)}");
        this.ShowErrors(Errors);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await LoadAsync(reference, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string reference, CancellationToken ct)
    {
        if (await seekers.FindAsync(reference, User.OrganisationId(), ct) is not { } s) return false;
        Seeker = s;
        Identity = await identities.ReadAsync(s.Id, s.Reference, ct);
        Consents = await consents.ListAsync(s.Id, ct);
        Matchable = await consents.IsMatchableAsync(s.Id, ct);
        Skills = await skills.ListAsync(s.Id, ct);
        Enrolments = await enrolments.ListAsync(s.Id, ct);
        Providers = await enrolments.ProvidersAsync(ct);
        Matches = await reviews.ForSeekerAsync(s.Id, ct);
        return true;
    }
}
