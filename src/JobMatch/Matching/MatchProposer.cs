using System.Text.Json;
using Dapper;
using JobMatch.MatchingContract;
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

    /// <summary>
    /// The tail of every proposal upsert (per vacancy and nightly): a pair already matched is re-ranked only while
    /// still "proposed" (not yet shown, so its position and how it was chosen may still change) and only when
    /// something changed, so running again writes nothing; returns the ids written.
    /// </summary>
    internal const string ReRankProposed = """
        ON CONFLICT (vacancy_id, seeker_id) DO UPDATE
            SET rank = EXCLUDED.rank, score = EXCLUDED.score, ranker = EXCLUDED.ranker,
                model_version = EXCLUDED.model_version, explanation = EXCLUDED.explanation,
                exploratory = EXCLUDED.exploratory, propensity = EXCLUDED.propensity, updated_at = now()
            WHERE match.status = 'proposed'
              AND (match.rank, match.score, match.ranker, match.model_version, match.explanation, match.exploratory, match.propensity)
                  IS DISTINCT FROM (EXCLUDED.rank, EXCLUDED.score, EXCLUDED.ranker, EXCLUDED.model_version, EXCLUDED.explanation,
                                    EXCLUDED.exploratory, EXCLUDED.propensity)
        RETURNING id, (xmax = 0) AS inserted
        """;

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
        // The list is decided here: the ranker's top picks and, in a share of the slots, candidates drawn from the
        // eligible ones just below (all of them already through the hard filters, consent and do-not-match rules).
        var list = Shortlist(Score(serving.Ranker, vacancyId, vacancyProfile, profiles, context), settings.TopK,
            settings.ExplorationShare, ExplorationSeed(settings, vacancyId, time.GetUtcNow()));
        var ranked = Explain(serving.Ranker, vacancyProfile, list.Select(x => x.Item).ToList())
            .Select((r, i) => r with { Exploratory = list[i].Exploratory, Propensity = list[i].Propensity }).ToList();

        await using var tx = await connection.BeginTransactionAsync(ct);
        var written = (await connection.QueryAsync<(long Id, bool Inserted)>(new CommandDefinition(
            $"""
            INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, model_version, explanation, exploratory, propensity)
            SELECT @vacancyId, t.seeker_id, t.status, t.rank, t.score, @ranker, @modelVersion, t.explanation::jsonb, t.exploratory, t.propensity
            FROM unnest(@seekerIds, @statuses, @ranks, @scores, @explanations, @exploratory, @propensities)
                 AS t(seeker_id, status, rank, score, explanation, exploratory, propensity)
            {ReRankProposed}
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
                exploratory = ranked.Select(r => r.Exploratory).ToArray(),
                propensities = ranked.Select(r => (float)r.Propensity).ToArray(),
            }, tx, cancellationToken: ct))).ToList();

        var inserted = written.Where(w => w.Inserted).Select(w => w.Id).ToArray();
        await RecordProposedAsync(connection, tx, inserted, ct);
        await tx.CommitAsync(ct);
        Observability.JobMatchMetrics.ProposalsMade(inserted.Length);
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

    /// <summary>The first history row of each newly written match (from nothing to its first status), in the caller's transaction.</summary>
    internal static async Task RecordProposedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long[] inserted, CancellationToken ct)
    {
        if (inserted.Length == 0) return;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO match_event (match_id, from_status, to_status, actor_role)
            SELECT id, NULL, status, 'system' FROM match WHERE id = ANY (@inserted)
            """, new { inserted }, tx, cancellationToken: ct));
    }

    internal static bool HoldsEveryRequired(SeekerRankingProfile seeker, VacancyProfile vacancy) =>
        vacancy.Skills.Where(r => r.Required).All(r => seeker.Skills.Any(h => h.Code == r.Code));

    /// <param name="Rank">The position in the shortlist as decided (1 is the top card).</param>
    /// <param name="Exploratory">Drawn at random from below the ranker's list (<see cref="MatchingOptions.ExplorationShare"/>).</param>
    /// <param name="Propensity">The probability this candidate was put on the list: 1 for the ranker's own picks.</param>
    internal sealed record Ranked(long SeekerId, int Rank, float Score, bool RequiresReview, MatchExplanation Explanation,
        bool Exploratory = false, double Propensity = 1.0);

    /// <summary>
    /// One vacancy's shortlist from its scored pool (best first): of min(topK, pool) slots, a share goes to candidates
    /// drawn from the next <see cref="ExplorationPolicy.ExplorationDepth"/> below the list, at drawn positions; the
    /// ranker's top picks fill the rest in order. Only candidates of <paramref name="scored"/> can be drawn: exploration
    /// never reaches anyone a hard filter, consent or do-not-match rule excluded.
    /// </summary>
    internal static List<(Scored Item, bool Exploratory, double Propensity)> Shortlist(IReadOnlyList<Scored> scored, int topK, double share, string seed)
    {
        var slots = Math.Min(topK, scored.Count);
        var below = scored.Skip(slots).ToList();
        var draw = ExplorationPolicy.Draw(below.Select(s => s.Row.Reference).ToList(), ExplorationPolicy.ExploratorySlots(share, slots), slots, seed);
        return draw.Arrange(scored.Take(slots - draw.Drawn.Count).ToList(), draw.Drawn.Select(i => below[i]).ToList());
    }

    /// <summary>The exploration draw's seed for one vacancy on one UTC day (same day and pool: same draw, so a rerun adds nothing).</summary>
    internal static string ExplorationSeed(MatchingOptions settings, long vacancyId, DateTimeOffset now) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{settings.ExplorationSeed}\u001f{now.UtcDateTime:yyyy-MM-dd}\u001f{vacancyId}");

    /// <summary>One hard-filtered candidate with its features and score.</summary>
    internal sealed record Scored(CandidateQueries.CandidateRow Row, SeekerRankingProfile Profile, float[] Features, float Score);

    /// <summary>Scores every candidate and keeps the top K; ties are broken by the public reference, so order never depends on row order.</summary>
    internal static List<Ranked> Rank(IRanker ranker, long vacancyId, VacancyProfile vacancy,
        IReadOnlyList<(CandidateQueries.CandidateRow Row, SeekerRankingProfile Profile)> profiles, FeatureContext context, int topK) =>
        Explain(ranker, vacancy, Score(ranker, vacancyId, vacancy, profiles, context).Take(topK).ToList());

    /// <summary>
    /// Every candidate who holds each must-have skill, scored, best first (ties by the public reference). Shared by
    /// per-vacancy proposing and the nightly pass (<see cref="NightlyRematch"/>), so both rank a pool the same way.
    /// </summary>
    internal static List<Scored> Score(IRanker ranker, long vacancyId, VacancyProfile vacancy,
        IReadOnlyList<(CandidateQueries.CandidateRow Row, SeekerRankingProfile Profile)> profiles, FeatureContext context)
    {
        var (kept, features) = Featurize(vacancy, profiles, context);
        var scores = ranker.Score(vacancyId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            kept.Select((p, i) => new RankingCandidate(p.Row.Reference, features[i])).ToList());
        return Order(kept, features, scores, 0);
    }

    /// <summary>
    /// <see cref="Score"/> for several vacancies at once, each list exactly what <see cref="Score"/> gives it. The trained
    /// model scores a row from its features alone, so every vacancy's rows go through one ML.NET Transform: a Transform
    /// per vacancy cost a fixed millisecond or more before its first row, 5,000 times a night. Other rankers are asked
    /// vacancy by vacancy, as they may use the vacancy.
    /// </summary>
    internal static List<Scored>[] ScoreMany(IRanker ranker,
        IReadOnlyList<(long VacancyId, VacancyProfile Vacancy, IReadOnlyList<(CandidateQueries.CandidateRow Row, SeekerRankingProfile Profile)> Profiles)> pools,
        FeatureContext context)
    {
        if (ranker is not ModelRanker)
        {
            return pools.Select(p => Score(ranker, p.VacancyId, p.Vacancy, p.Profiles, context)).ToArray();
        }
        var featurized = pools.Select(p => Featurize(p.Vacancy, p.Profiles, context)).ToArray();
        var scores = ranker.Score("", featurized.SelectMany(f => f.Kept.Select((p, i) => new RankingCandidate(p.Row.Reference, f.Features[i]))).ToList());
        var result = new List<Scored>[pools.Count];
        var offset = 0;
        for (var v = 0; v < pools.Count; v++)
        {
            result[v] = Order(featurized[v].Kept, featurized[v].Features, scores, offset);
            offset += featurized[v].Kept.Count;
        }
        return result;
    }

    private static (List<(CandidateQueries.CandidateRow Row, SeekerRankingProfile Profile)> Kept, float[][] Features) Featurize(VacancyProfile vacancy,
        IReadOnlyList<(CandidateQueries.CandidateRow Row, SeekerRankingProfile Profile)> profiles, FeatureContext context)
    {
        // Must-have skills are hard for every ranker: a candidate lacking one is dropped before scoring, whatever the
        // pool query let through (the pool filters too; this keeps the guarantee in the one function both rankers pass).
        var kept = profiles.Where(p => HoldsEveryRequired(p.Profile, vacancy)).ToList();
        return (kept, kept.Select(p => RankingFeatures.Compute(p.Profile, vacancy, context)).ToArray());
    }

    /// <summary>Best first; ties by the public reference, so order never depends on row order.</summary>
    private static List<Scored> Order(List<(CandidateQueries.CandidateRow Row, SeekerRankingProfile Profile)> kept, float[][] features,
        IReadOnlyList<float> scores, int offset) =>
        kept.Select((p, i) => new Scored(p.Row, p.Profile, features[i], scores[offset + i]))
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Row.Reference, StringComparer.Ordinal)
            .ToList();

    /// <summary>Ranks 1..n in the given order, each with its explanation (one batch through the ranker).</summary>
    internal static List<Ranked> Explain(IRanker ranker, VacancyProfile vacancy, IReadOnlyList<Scored> top) =>
        Explain(vacancy, top, ranker.ExplainAll(top.Select(x => x.Features).ToList()));

    /// <summary>Ranks 1..n in the given order, with reasons the caller got from the ranker (the nightly pass asks for many vacancies at once).</summary>
    internal static List<Ranked> Explain(VacancyProfile vacancy, IReadOnlyList<Scored> top, IReadOnlyList<IReadOnlyList<FeatureReason>> reasons) =>
        top.Select((x, rank) => new Ranked(x.Row.Id, rank + 1, x.Score, x.Row.RequiresReview,
                MatchExplanation.For(x.Profile, vacancy, x.Features, reasons[rank])))
            .ToList();
}
