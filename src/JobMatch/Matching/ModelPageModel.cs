using JobMatch.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace JobMatch.Matching;

/// <summary>
/// The ranking model in use, its held-out metrics and fairness figure, plainly whether it learned from a simulated
/// world, and the exploration share with what it costs (issue 21).
/// </summary>
[Authorize(Policy = Policies.Admin)]
internal sealed class ModelPageModel(ModelRegistry registry, RankerProvider rankers, IOptions<MatchingOptions> matching) : PageModel
{
    public double ExplorationShare => matching.Value.ExplorationShare;
    public int ListLength => matching.Value.TopK;
    public int ExploratorySlots => Ranking.ExplorationPolicy.ExploratorySlots(ExplorationShare, ListLength);
    public int ExplorationDepth => Ranking.ExplorationPolicy.ExplorationDepth;

    public IReadOnlyList<ModelRegistry.ModelInfo> Models { get; private set; } = [];
    public ModelRegistry.ModelInfo? Active { get; private set; }
    public string Serving { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Models = await registry.ListAsync(ct);
        Active = Models.FirstOrDefault(m => m.Active);
        Serving = (await rankers.CurrentAsync(ct)).Description;
    }
}

/// <summary>Marker for the model page's strings (ModelText.resx / ModelText.bn.resx).</summary>
public sealed class ModelText;
