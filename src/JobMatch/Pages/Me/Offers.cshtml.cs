using JobMatch.Identity;
using JobMatch.Matching;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Me;

/// <summary>The job seeker's offers: open invitations first, then recent answers. Only the vacancy, never case data.</summary>
[Authorize(Policy = Policies.JobSeeker)]
internal sealed class OffersModel(OfferQueries offers) : PageModel
{
    public IReadOnlyList<OfferQueries.Offer> Offers { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Offers = await offers.ListForSeekerAsync(User.UserId(), ct);
}
