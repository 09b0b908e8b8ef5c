namespace JobMatch.Pages.Shared;

/// <summary>
/// A skill chosen by name: a select grouped by sector (works without JavaScript), which <c>/js/skill-picker.js</c>
/// turns into a search by English or Bangla name. The value posted is the skill's code, which people never see.
/// </summary>
/// <param name="Name">The form field (the code is posted under it).</param>
/// <param name="Id">The select's id (its label points to it).</param>
/// <param name="Selected">The code chosen now, if any (after a failed POST the posted choice wins, see PostedOptionTagHelper).</param>
/// <param name="Label">The label text; null: "Skill".</param>
public sealed record SkillPickerView(string Name, string Id, string? Selected = null, string? Label = null)
{
    /// <summary>HttpContext.Items key: a picker was rendered, so the layout loads the script.</summary>
    public const string UsedOnPage = "jm.skill-picker";
}

/// <summary>The four skill levels as a choice, each with what it means in practice (from data/skill_levels.csv).</summary>
/// <param name="Name">The form field.</param>
/// <param name="Id">Prefix of the radio ids.</param>
/// <param name="Selected">The level chosen now (1 by default).</param>
public sealed record SkillLevelView(string Name, string Id, int Selected = 1);
