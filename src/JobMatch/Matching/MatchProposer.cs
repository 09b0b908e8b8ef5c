using System.Text.Json;
using Dapper;
using JobMatch.Ranking;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobMatch.Matching;

/// <summary>
/// Proposes matches: candidate generation in PostgreSQL, features and scoring in process, the top K stored as
/// proposals with their rank, the serving model version and an explanation. Idempotent: one row per
/// (vacancy, seeker); running again with nothing changed leaves the database as it was, and a match that has moved
/// past "proposed" is never touched.
/// </summary>
internal sealed class MatchProposer(
    NpgsqlDataSource db, CandidateQueries candidates, RankerProvider rankers, SkillCatalog catalog,
    IOptions<MatchingOptions> options, TimeProvider time)
{
    public sealed record Result(long VacancyId, int Candidates, int Inserted, int Updated);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Result> ProposeForVacancyAsync(long vacancyId, CancellationToken ct)
    {
        var settings = options.Value;
        var serving = await rankers.CurrentAsync(ct);
        var context = await catalog.FeatureContextAsync(ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        var vacancy = await candidates.OpenVacancyAsync(connection, vacancyId, ct);
        if (vacancy is null) return new Result(vacancyId, 0, 0, 0);

        var profiles = await candidates.CandidateProfilesAsync(connection, vacancy, settings, time.GetUtcNow(), ct);
        var vacancyProfile = CandidateQueries.ProfileOf(vacancy);
        var ranked = Rank(serving.Ranker, vacancyId, vacancyProfile, profiles, context, settings.TopK);

        await using var tx = await connection.BeginTransactionAsync(ct);
        var written = (await connection.QueryAsync<(long Id, bool Inserted)>(new CommandDefinition(
            """
            INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, model_version, explanation)
            SELECT @vacancyId, t.seeker_id, t.status, t.rank, t.score, @ranker, @modelVersion, t.explanation::jsonb
            FROM unnest(@seekerIds, @statuses, @ranks, @scores, @explanations) AS t(seeker_id, status, rank, score, explanation)
            ON CONFLICT (vacancy_id, seeker_id) DO UPDATE
                SET rank = EXCLUDED.rank, score = EXCLUDED.score, ranker = EXCLUDED.ranker,
                    model_version = EXCLUDED.model_version, explanation = EXCLUDED.explanation, updated_at = now()
                WHERE match.status = 'proposed'
                  AND (match.rank, match.score, match.ranker, match.model_version, match.explanation)
                      IS DISTINCT FROM (EXCLUDED.rank, EXCLUDED.score, EXCLUDED.ranker, EXCLUDED.model_version, EXCLUDED.explanation)
            RETURNING id, (xmax = 0) AS inserted
            """,
            new
            {
                vacancyId,
                ranker = serving.Kind,
                modelVersion = serving.ModelVersion,
                seekerIds = ranked.Select(r => r.SeekerId).ToArray(),
                statuses = ranked.Select(r => r.RequiresReview ? MatchStatus.Proposed : MatchStatus.Shown).ToArray(),
                ranks = ranked.Select(r => r.Rank).ToArray(),
                scores = ranked.Select(r => r.Score).ToArray(),
                explanations = ranked.Select(r => JsonSerializer.Serialize(r.Explanation, Json)).ToArray(),
            }, tx, cancellationToken: ct))).ToList();

        var inserted = written.Where(w => w.Inserted).Select(w => w.Id).ToArray();
        if (inserted.Length > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO match_event (match_id, from_status, to_status, actor_role)
                SELECT id, NULL, status, 'system' FROM match WHERE id = ANY (@inserted)
                """, new { inserted }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return new Result(vacancyId, profiles.Count, inserted.Length, written.Count - inserted.Length);
    }

    /// <summary>Re-ranks the open vacancies that share skills with this seeker (their skills or profile changed).</summary>
    public async Task<IReadOnlyList<Result>> ProposeForSeekerAsync(long seekerId, CancellationToken ct)
    {
        long[] vacancyIds;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            vacancyIds = (await connection.QueryAsync<long>(new CommandDefinition(
                """
                SELECT v.id
                FROM vacancy v
                JOIN employer e ON e.organisation_id = v.employer_id AND e.status = 'verified'
                JOIN seeker s ON s.id = @seekerId
                WHERE v.status = 'open'
                  AND EXISTS (SELECT 1 FROM vacancy_skill vs WHERE vs.vacancy_id = v.id AND vs.skill_id = ANY (s.skill_ids))
                ORDER BY (SELECT count(*) FROM vacancy_skill vs WHERE vs.vacancy_id = v.id AND vs.skill_id = ANY (s.skill_ids)) DESC, v.id
                LIMIT @limit
                """, new { seekerId, limit = options.Value.VacanciesPerSeekerUpdate }, cancellationToken: ct))).ToArray();
        }
        var results = new List<Result>();
        foreach (var vacancyId in vacancyIds) results.Add(await ProposeForVacancyAsync(vacancyId, ct));
        return results;
    }

    /// <summary>The nightly re-match: every open vacancy of a verified employer.</summary>
    public async Task<int> ProposeAllAsync(CancellationToken ct)
    {
        long[] vacancyIds;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            vacancyIds = (await connection.QueryAsync<long>(new CommandDefinition(
                """
                SELECT v.id FROM vacancy v JOIN employer e ON e.organisation_id = v.employer_id AND e.status = 'verified'
                WHERE v.status = 'open' ORDER BY v.id
                """, cancellationToken: ct))).ToArray();
        }
        foreach (var vacancyId in vacancyIds) await ProposeForVacancyAsync(vacancyId, ct);
        return vacancyIds.Length;
    }

    internal sealed record Ranked(long SeekerId, int Rank, float Score, bool RequiresReview, MatchExplanation Explanation);

    /// <summary>Scores every candidate and keeps the top K; ties are broken by the public reference, so order never depends on row order.</summary>
    internal static List<Ranked> Rank(IRanker ranker, long vacancyId, VacancyProfile vacancy,
        IReadOnlyList<(CandidateQueries.CandidateRow Row, SeekerProfile Profile)> profiles, FeatureContext context, int topK)
    {
        var features = profiles.Select(p => RankingFeatures.Compute(p.Profile, vacancy, context)).ToList();
        var scores = ranker.Score(vacancyId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            profiles.Select((p, i) => new RankingCandidate(p.Row.Reference, features[i])).ToList());
        var top = profiles.Select((p, i) => (p, i))
            .OrderByDescending(x => scores[x.i])
            .ThenBy(x => x.p.Row.Reference, StringComparer.Ordinal)
            .Take(topK)
            .ToList();
        var reasons = ranker.ExplainAll(top.Select(x => features[x.i]).ToList());
        return top.Select((x, rank) => new Ranked(x.p.Row.Id, rank + 1, scores[x.i], x.p.Row.RequiresReview,
                MatchExplanation.For(x.p.Profile, vacancy, features[x.i], reasons[rank])))
            .ToList();
    }
}
