using Dapper;
using JobMatch.MatchingContract;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// Skill records of one seeker (one record per skill). Every write also refreshes <c>seeker.skill_ids</c>, the
/// array matching's candidate generation searches with its GIN index.
/// </summary>
internal sealed class SeekerSkills(NpgsqlDataSource db, IMatchingTriggers matching)
{
    public static readonly string[] Sources = ["self_declared", "assessed", "certified"];

    public sealed record Write(string SkillCode, int Level, string Source, DateOnly? CertifiedOn, int MonthsExperience, Guid? CertifiedBy);

    public async Task<IReadOnlyList<SeekerSkillView>> ListAsync(long seekerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var all = await ListAsync(connection, [seekerId], ct);
        return all.GetValueOrDefault(seekerId, []);
    }

    /// <summary>Skill records of several seekers, by seeker id.</summary>
    public static async Task<Dictionary<long, IReadOnlyList<SeekerSkillView>>> ListAsync(NpgsqlConnection connection, long[] seekerIds, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT ss.seeker_id, k.code AS skill_code, k.name_en, k.name_bn, ss.level, ss.source, o.name AS certified_by,
                   ss.certified_on, ss.months_experience
            FROM seeker_skill ss JOIN skill k ON k.id = ss.skill_id LEFT JOIN organisation o ON o.id = ss.certified_by
            WHERE ss.seeker_id = ANY(@seekerIds)
            ORDER BY ss.seeker_id, ss.level DESC, k.name_en
            """, new { seekerIds }, cancellationToken: ct));
        return rows.GroupBy(r => r.SeekerId).ToDictionary(g => g.Key, g => (IReadOnlyList<SeekerSkillView>)g.Select(r =>
            new SeekerSkillView(r.SkillCode, r.NameEn, r.NameBn, r.Level, r.Source, r.CertifiedBy,
                r.CertifiedOn is { } d ? DateOnly.FromDateTime(d) : null, r.MonthsExperience)).ToList());
    }

    /// <summary>
    /// Validates and writes one record; returns field errors (empty when saved). The one operation behind the case
    /// worker's and the training provider's pages and APIs: a provider's record (<c>CertifiedBy</c> set) is assessed or
    /// certified, never self-declared.
    /// </summary>
    public async Task<Dictionary<string, string[]>> UpsertAsync(long seekerId, Write w, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (w.Level is < 1 or > 4) errors["level"] = ["Level is 1 to 4."];
        if (w.CertifiedBy is not null && w.Source is not ("assessed" or "certified")) errors["source"] = ["A training provider records assessed or certified skills."];
        else if (!Sources.Contains(w.Source)) errors["source"] = ["Use self_declared, assessed or certified."];
        if (w.Source == "certified" && w.CertifiedOn is null) errors["certifiedOn"] = ["A certificate needs its date."];
        if (w.CertifiedOn is { } on && on > DateOnly.FromDateTime(DateTime.UtcNow)) errors["certifiedOn"] = ["The date is in the future."];
        if (w.MonthsExperience is < 0 or > 720) errors["monthsExperience"] = ["Months of experience are 0 to 720."];
        await using var connection = await db.OpenConnectionAsync(ct);
        int? skillId = null;
        if (string.IsNullOrWhiteSpace(w.SkillCode)) errors["skillCode"] = ["Choose a skill."];
        else if ((await ResolveAsync(connection, [w.SkillCode], ct)).TryGetValue(w.SkillCode.Trim(), out var id)) skillId = id;
        else errors["skillCode"] = ["Unknown skill code."];
        if (errors.Count > 0) return errors;

        await using var tx = await connection.BeginTransactionAsync(ct);
        // Provider writes (CertifiedBy set) must not downgrade another organisation's higher certificate.
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO seeker_skill (seeker_id, skill_id, level, source, certified_by, certified_on, months_experience)
            VALUES (@seekerId, @skillId, @Level, @Source, @certifiedBy, @CertifiedOn, @MonthsExperience)
            ON CONFLICT (seeker_id, skill_id) DO UPDATE SET level = EXCLUDED.level, source = EXCLUDED.source,
                certified_by = EXCLUDED.certified_by, certified_on = EXCLUDED.certified_on,
                months_experience = EXCLUDED.months_experience, updated_at = now()
            {(w.CertifiedBy is null ? "" : Training.UploadCommit.KeepOtherCertificates)}
            """,
            new
            {
                seekerId, skillId, w.Level, w.Source, certifiedBy = w.Source == "self_declared" ? null : w.CertifiedBy,
                w.CertifiedOn, w.MonthsExperience,
            }, tx, cancellationToken: ct));
        await SyncSkillIdsAsync(connection, tx, [seekerId], ct);
        await tx.CommitAsync(ct);
        matching.SeekerChanged(seekerId);
        return errors;
    }

    /// <summary>
    /// Skill ids of what people typed (trimmed text → id): the code in any case ("hos-005"), or the whole English name
    /// (any case) or Bangla name (compared in NFC: phone keyboards may send য + ় for য়). Unknown text is left out.
    /// Codes stay the API's identifiers; names and lowercase are accepted so nobody has to learn them.
    /// </summary>
    public static async Task<Dictionary<string, int>> ResolveAsync(NpgsqlConnection connection, IEnumerable<string> typed, CancellationToken ct)
    {
        var texts = typed.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (texts.Length == 0) return [];
        var rows = await connection.QueryAsync<(string Typed, int Id)>(new CommandDefinition(
            """
            SELECT t.typed, k.id FROM unnest(@texts) AS t(typed)
            JOIN LATERAL (SELECT id FROM skill
                          WHERE upper(code) = upper(t.typed) OR lower(name_en) = lower(t.typed) OR normalize(name_bn, NFC) = normalize(t.typed, NFC)
                          ORDER BY upper(code) = upper(t.typed) DESC, id LIMIT 1) k ON true
            """, new { texts }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Typed, r => r.Id, StringComparer.Ordinal);
    }

    public async Task<bool> DeleteAsync(long seekerId, string skillCode, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM seeker_skill WHERE seeker_id = @seekerId AND skill_id = (SELECT id FROM skill WHERE code = @skillCode)",
            new { seekerId, skillCode }, tx, cancellationToken: ct));
        await SyncSkillIdsAsync(connection, tx, [seekerId], ct);
        // A removed must-have skill withdraws the open proposals that asked for it.
        await MatchingContract.MatchRule.WithdrawForbiddenAsync(connection, tx, seekerId, null, null, ct);
        await tx.CommitAsync(ct);
        if (deleted > 0) matching.SeekerChanged(seekerId);
        return deleted > 0;
    }

    /// <summary>
    /// Recomputes <c>seeker.skill_ids</c> (sorted) for the given seekers, set-based: one join and GROUP BY (the former
    /// correlated sub-query was planned twice per seeker, once for the comparison and once for the value).
    /// </summary>
    public static Task SyncSkillIdsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long[] seekerIds, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE seeker s SET skill_ids = agg.ids, updated_at = now()
            FROM (SELECT x.id, coalesce(array_agg(ss.skill_id ORDER BY ss.skill_id) FILTER (WHERE ss.skill_id IS NOT NULL), '{}') AS ids
                  FROM (SELECT DISTINCT id FROM unnest(@seekerIds) AS u(id)) x
                  LEFT JOIN seeker_skill ss ON ss.seeker_id = x.id
                  GROUP BY x.id) agg
            WHERE s.id = agg.id AND s.skill_ids IS DISTINCT FROM agg.ids
            """, new { seekerIds }, tx, cancellationToken: ct, commandTimeout: 120));

    /// <summary>
    /// <c>seeker.skill_ids</c> after a training provider's skills file (Training's <c>UploadCommit</c>, in its transaction),
    /// from the staged rows alone: an upload only ever adds or updates skill records, never removes one, so each seeker's
    /// new set is the old one plus the file's skill ids. <see cref="SyncSkillIdsAsync"/> would read every seeker's records
    /// back from <c>seeker_skill</c> (an index probe per seeker); seekers already holding every staged skill are not written.
    /// </summary>
    public static Task AddUploadedSkillIdsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid uploadId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE seeker s SET skill_ids = (SELECT array_agg(DISTINCT k ORDER BY k) FROM unnest(s.skill_ids || staged.ids) AS k), updated_at = now()
            FROM (SELECT seeker_id, array_agg(skill_id) AS ids FROM upload_row WHERE upload_id = @uploadId GROUP BY seeker_id) staged
            WHERE s.id = staged.seeker_id AND NOT s.skill_ids @> staged.ids
            """, new { uploadId }, tx, cancellationToken: ct, commandTimeout: 120));

    private sealed class Row
    {
        public long SeekerId { get; set; }
        public string SkillCode { get; set; } = "";
        public string NameEn { get; set; } = "";
        public string NameBn { get; set; } = "";
        public int Level { get; set; }
        public string Source { get; set; } = "";
        public string? CertifiedBy { get; set; }
        public DateTime? CertifiedOn { get; set; }
        public int MonthsExperience { get; set; }
    }
}
