using JobMatch.Web;
using System.Globalization;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Jobs;

/// <summary>The public job board (no sign-in): search and filters in a plain GET form, pages of 20.</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = BoardCache.PolicyName)] // anonymous visitors only, see BoardCache
internal sealed class IndexModel(BoardQueries board, Taxonomy taxonomy, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sector { get; set; }
    [BindProperty(SupportsGet = true)] public string? Upazila { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? MinWage { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public BoardPage Results { get; private set; } = null!;
    public TaxonomySnapshot Reference { get; private set; } = null!;
    public bool Bangla => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Reference = await taxonomy.LoadAsync(ct);
        TextInput.TryInt(MinWage, out var minWage);
        Results = await board.SearchAsync(new BoardFilter
        {
            Q = Q, Sector = Sector, Upazila = Upazila, Kind = Kind, MinWage = minWage, Page = PageNumber,
        }, BoardClock.Today(time), ct);
    }

    public string PageLink(int page)
    {
        var query = new Dictionary<string, string?> { ["q"] = Q, ["sector"] = Sector, ["upazila"] = Upazila, ["kind"] = Kind, ["minWage"] = MinWage, ["page"] = page.ToString(CultureInfo.InvariantCulture) };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/jobs", query.Where(p => !string.IsNullOrWhiteSpace(p.Value)));
    }
}
