using Dapper;
using Npgsql;

namespace JobMatch.Vacancies;

/// <summary>
/// The reference data a vacancy is checked against: sectors with their wage floors, upazilas with their centroids,
/// skills, education levels. A few hundred rows, written only by <c>ReferenceData</c> at start-up (from data/*.csv),
/// so one snapshot is shared for a minute instead of being read on every request: the public board was spending a
/// round trip and ~250 row materialisations per page view on data that does not change while the app runs.
/// </summary>
internal sealed class Taxonomy(NpgsqlDataSource db)
{
    private static readonly long MaxAgeMs = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;
    private volatile Cached? _cached;

    private sealed record Cached(TaxonomySnapshot Snapshot, long LoadedAtMs);

    public async Task<TaxonomySnapshot> LoadAsync(CancellationToken ct)
    {
        // Wall-clock independent (TickCount64), so tests that move a fake TimeProvider do not age the cache.
        if (_cached is { } hit && Environment.TickCount64 - hit.LoadedAtMs < MaxAgeMs) return hit.Snapshot;
        var snapshot = await ReadAsync(ct);
        _cached = new Cached(snapshot, Environment.TickCount64);
        return snapshot;
    }

    private async Task<TaxonomySnapshot> ReadAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            SELECT code, name_en, name_bn, min_monthly_wage_bdt FROM sector ORDER BY name_en;
            SELECT code, name_en, name_bn, lat, lon FROM upazila ORDER BY name_en;
            SELECT id, code, name_en, name_bn, sector_code, isco08 FROM skill ORDER BY sector_code, code;
            SELECT level, name_en, name_bn FROM education_level ORDER BY level;
            SELECT level, name_en, name_bn, descriptor_en, descriptor_bn FROM skill_level ORDER BY level;
            """, cancellationToken: ct));
        var sectors = (await grid.ReadAsync<SectorRef>()).ToList();
        var upazilas = (await grid.ReadAsync<UpazilaRef>()).ToList();
        var skills = (await grid.ReadAsync<SkillRef>()).ToList();
        var education = (await grid.ReadAsync<EducationRef>()).ToList();
        var levels = (await grid.ReadAsync<SkillLevelRef>()).ToList();
        return new TaxonomySnapshot(sectors, upazilas, skills, education, levels);
    }
}

internal sealed class TaxonomySnapshot(List<SectorRef> sectors, List<UpazilaRef> upazilas, List<SkillRef> skills, List<EducationRef> education,
    List<SkillLevelRef>? skillLevels = null)
{
    public IReadOnlyList<SectorRef> Sectors => sectors;
    public IReadOnlyList<UpazilaRef> Upazilas => upazilas;
    public IReadOnlyList<SkillRef> Skills => skills;
    public IReadOnlyList<EducationRef> EducationLevels => education;
    public Dictionary<string, SectorRef> SectorsByCode { get; } = sectors.ToDictionary(s => s.Code, StringComparer.Ordinal);
    public Dictionary<string, UpazilaRef> UpazilasByCode { get; } = upazilas.ToDictionary(u => u.Code, StringComparer.Ordinal);
    public Dictionary<string, SkillRef> SkillsByCode { get; } = skills.ToDictionary(s => s.Code, StringComparer.OrdinalIgnoreCase);
    public Dictionary<int, SkillRef> SkillsById { get; } = skills.ToDictionary(s => s.Id);
    public IReadOnlyList<SkillLevelRef> SkillLevels => skillLevels ?? [];

    /// <summary>
    /// The skill a person typed: its code in any case ("hos-005"), or its whole English (any case) or Bangla name.
    /// Trainers and case workers know skills by name; the code stays internal.
    /// </summary>
    public SkillRef? FindSkill(string? text)
    {
        var typed = SkillText(text);
        if (typed.Length == 0) return null;
        if (SkillsByCode.TryGetValue(typed, out var byCode)) return byCode;
        var byName = skills.Where(s => string.Equals(SkillText(s.NameEn), typed, StringComparison.OrdinalIgnoreCase) || SkillText(s.NameBn) == typed).ToList();
        return byName.Count == 1 ? byName[0] : null;
    }

    /// <summary>Trimmed, single-spaced, NFC: Bangla typed on a phone keyboard may arrive decomposed (য + ় for য়).</summary>
    internal static string SkillText(string? text) =>
        string.Join(' ', (text ?? "").Normalize(System.Text.NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A skill level (1–4) with what it means in practice, for pickers and the seeker's own page.</summary>
internal sealed class SkillLevelRef
{
    public int Level { get; set; }
    public string NameEn { get; set; } = "";
    public string NameBn { get; set; } = "";
    public string DescriptorEn { get; set; } = "";
    public string DescriptorBn { get; set; } = "";
    public string Name(bool bangla) => bangla ? NameBn : NameEn;
    public string Descriptor(bool bangla) => bangla ? DescriptorBn : DescriptorEn;
}

internal sealed class SectorRef
{
    public string Code { get; set; } = "";
    public string NameEn { get; set; } = "";
    public string NameBn { get; set; } = "";
    public int? MinMonthlyWageBdt { get; set; }
    public string Name(bool bangla) => bangla ? NameBn : NameEn;
}

internal sealed class UpazilaRef
{
    public string Code { get; set; } = "";
    public string NameEn { get; set; } = "";
    public string NameBn { get; set; } = "";
    public double Lat { get; set; }
    public double Lon { get; set; }
    public string Name(bool bangla) => bangla ? NameBn : NameEn;
}

internal sealed class SkillRef
{
    public int Id { get; set; }
    public string Code { get; set; } = "";
    public string NameEn { get; set; } = "";
    public string NameBn { get; set; } = "";
    public string SectorCode { get; set; } = "";
    public string Isco08 { get; set; } = "";
    public string Name(bool bangla) => bangla ? NameBn : NameEn;
}

internal sealed class EducationRef
{
    public int Level { get; set; }
    public string NameEn { get; set; } = "";
    public string NameBn { get; set; } = "";
    public string Name(bool bangla) => bangla ? NameBn : NameEn;
}
