using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using JobMatch.MatchingContract;
using JobMatch.Ranking;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace JobMatch.Matching;

/// <summary>
/// The nightly re-match of every open vacancy of a verified employer, as one set-based pass in three steps:
/// <list type="number">
/// <item><see cref="ScoreAsync"/>: every vacancy's candidate pool, from the same hard filters per-vacancy
/// proposing uses (<see cref="CandidateQueries.CandidateIdsAsync(NpgsqlConnection, long[], MatchingOptions, CancellationToken)"/>,
/// one statement per batch of vacancies), a few batches at a time (bounded by the cores and
/// <see cref="MatchingOptions.RematchConnections"/>); the profiles of every pooled seeker read once; each pool scored
/// by <see cref="MatchProposer.Score"/> on all cores.</item>
/// <item><see cref="Assign"/>: the congestion cap applied once, over all scored pairs: a greedy pass in score order
/// (ties by a hash of vacancy and seeker reference), so no vacancy is favoured for its id or for when its pool was
/// read. The old loop let the vacancies with the lowest ids take the seekers every vacancy wanted. Then exploration
/// (<see cref="Explore"/>, issue 21): a share of each full list goes to candidates drawn from just below it, each pick
/// carrying whether it is exploratory and its propensity, which the write records on the match.</item>
/// <item><see cref="WriteAsync"/>: the chosen pairs by binary COPY into a temporary table and one INSERT ... SELECT
/// merge that checks again, in SQL, that the vacancy is open and the seeker under the cap, then drops any new row the
/// one rule (<c>match_rule</c>) forbids now, all in one transaction: a safety change made while the pools were
/// scored still holds.</item>
/// </list>
/// Idempotent like per-vacancy proposing: a pair already open keeps its slot (re-ranked while "proposed"), a pair
/// closed before (skipped, declined, withdrawn, hired, not selected) is never proposed again.
/// </summary>
internal sealed class NightlyRematch(
    NpgsqlDataSource db, CandidateQueries candidates, RankerProvider rankers, SkillCatalog catalog,
    IOptions<MatchingOptions> options, TimeProvider time)
{
    public sealed record Result(int Vacancies, int ScoredPairs, int Chosen, int Inserted, int Updated, int Forbidden, WriteStages Stages);

    /// <summary>Where the scoring's time went (benchmark B4): reading the open matches, the pool statements, the profiles, the model.</summary>
    public sealed record ScoreStages(TimeSpan Existing, TimeSpan Pools, TimeSpan Profiles, TimeSpan Scores);

    /// <summary>Where the write's time went (benchmark B4 and the job's log line): counts and durations only.</summary>
    public sealed record WriteStages(TimeSpan Explain, TimeSpan Copy, TimeSpan Merge, TimeSpan Check, TimeSpan Events);

    /// <summary>One vacancy's scored pool, best first (score, then public reference, as per-vacancy proposing ranks).</summary>
    internal sealed record VacancyPool(CandidateQueries.VacancyRow Vacancy, VacancyProfile Profile, int PoolSize,
        long[] SeekerIds, float[] Scores, ulong[] TieKeys);

    /// <summary>Everything the assignment and the write need, read at one moment.</summary>
    internal sealed record Pools(
        RankerProvider.Serving Serving, FeatureContext Context, IReadOnlyList<VacancyPool> Vacancies,
        IReadOnlyDictionary<long, (CandidateQueries.CandidateRow Row, SeekerRankingProfile Profile)> Seekers,
        IReadOnlyDictionary<long, int> OpenCount, IReadOnlySet<(long VacancyId, long SeekerId)> OpenPairs,
        IReadOnlySet<(long VacancyId, long SeekerId)> ClosedPairs, ScoreStages? Stages = null)
    {
        public int ScoredPairs => Vacancies.Sum(v => v.SeekerIds.Length);
    }

    /// <summary>
    /// A chosen pair: the vacancy's pool index, the position in its pool, the order the pass chose it in, whether it
    /// fills an exploratory slot and the probability it was put on the list (1 for the ranker's own picks).
    /// </summary>
    internal readonly record struct Pick(int Vacancy, int Position, int Order, bool Exploratory = false, double Propensity = 1.0);

    public async Task<Result> RunAsync(CancellationToken ct)
    {
        var pools = await ScoreAsync(ct);
        var settings = options.Value;
        var now = time.GetUtcNow();
        var picks = Assign(pools, settings.TopK, settings.MaxOpenProposalsPerSeeker,
            settings.ExplorationShare, vacancyId => MatchProposer.ExplorationSeed(settings, vacancyId, now));
        return await WriteAsync(pools, picks, ct);
    }

    /// <summary>Vacancies per pool statement: small enough that the connections share the work evenly, large enough to save round trips.</summary>
    internal const int PoolBatch = 50;

    /// <summary>Vacancies per model call when scoring: tens of thousands of rows per Transform, still several batches per core.</summary>
    internal const int ScoreBatch = 100;

    public async Task<Pools> ScoreAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var serving = await rankers.CurrentAsync(ct);
        var context = await catalog.FeatureContextAsync(ct);
        var now = time.GetUtcNow();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var marks = new List<TimeSpan>(4);
        void Mark() { marks.Add(clock.Elapsed); clock.Restart(); }
        long[] vacancyIds;
        var openPairs = new HashSet<(long, long)>();
        var closedPairs = new HashSet<(long, long)>();
        Dictionary<long, int> openCount;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            vacancyIds = (await connection.QueryAsync<long>(new CommandDefinition(
                """
                SELECT v.id FROM vacancy v JOIN employer e ON e.organisation_id = v.employer_id AND e.status = 'verified'
                WHERE v.status = 'open' ORDER BY v.id
                """, cancellationToken: ct))).ToArray();
            var existing = await connection.QueryAsync<(long VacancyId, long SeekerId, string Status)>(new CommandDefinition(
                "SELECT vacancy_id, seeker_id, status FROM match WHERE vacancy_id = ANY (@vacancyIds)", new { vacancyIds }, cancellationToken: ct));
            foreach (var m in existing) (MatchStatus.Open.Contains(m.Status) ? openPairs : closedPairs).Add((m.VacancyId, m.SeekerId));
            openCount = (await connection.QueryAsync<(long SeekerId, int Open)>(new CommandDefinition(
                "SELECT seeker_id, count(*)::int FROM match WHERE status = ANY (@open) GROUP BY seeker_id",
                new { open = MatchStatus.Open }, cancellationToken: ct))).ToDictionary(r => r.SeekerId, r => r.Open);
        }
        Mark();

        // Pools: database work, a few connections at once, each statement serving a batch of vacancies (the vacancy rows
        // in one statement, their pools in another): per-vacancy statements cost two round trips and two executor
        // start-ups each, 10,000 a night.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, settings.RematchConnections), CancellationToken = ct };
        var vacancies = new CandidateQueries.VacancyRow?[vacancyIds.Length];
        var poolIds = new long[vacancyIds.Length][];
        var indexOf = vacancyIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        await Parallel.ForEachAsync(vacancyIds.Chunk(PoolBatch), parallel, async (batch, token) =>
        {
            await using var connection = await db.OpenConnectionAsync(token);
            var open = await candidates.OpenVacanciesAsync(connection, batch, token);
            foreach (var v in open) vacancies[indexOf[v.Id]] = v;
            var pools = await candidates.CandidateIdsAsync(connection, open.Select(v => v.Id).ToArray(), settings, token);
            foreach (var id in batch) poolIds[indexOf[id]] = pools.GetValueOrDefault(id) ?? [];
        });
        Mark();

        // Profiles: once per seeker, however many pools they are in (a seeker is in dozens), in a few large reads.
        var seekers = new ConcurrentDictionary<long, (CandidateQueries.CandidateRow Row, SeekerRankingProfile Profile)>();
        var distinct = poolIds.SelectMany(ids => ids).Distinct().Order().ToArray();
        await Parallel.ForEachAsync(distinct.Chunk(5_000), parallel, async (chunk, token) =>
        {
            await using var connection = await db.OpenConnectionAsync(token);
            foreach (var p in await candidates.ProfilesAsync(connection, chunk, now, token)) seekers[p.Row.Id] = p;
        });
        Mark();

        // Scores: in process, on every core, a batch of vacancies per model call (MatchProposer.ScoreMany).
        var pools = new VacancyPool?[vacancyIds.Length];
        var present = Enumerable.Range(0, vacancyIds.Length).Where(i => vacancies[i] is not null).ToArray();
        Parallel.ForEach(present.Chunk(ScoreBatch), new ParallelOptions { CancellationToken = ct }, batch =>
        {
            var inputs = batch.Select(i =>
            {
                var vacancy = vacancies[i]!;
                IReadOnlyList<(CandidateQueries.CandidateRow, SeekerRankingProfile)> profiles = poolIds[i].Where(seekers.ContainsKey).Select(id => seekers[id]).ToList();
                return (vacancy.Id, CandidateQueries.ProfileOf(vacancy), profiles);
            }).ToList();
            var scored = MatchProposer.ScoreMany(serving.Ranker, inputs, context);
            for (var b = 0; b < batch.Length; b++)
            {
                var i = batch[b];
                var vacancy = vacancies[i]!;
                pools[i] = new VacancyPool(vacancy, inputs[b].Item2, poolIds[i].Length,
                    scored[b].Select(s => s.Row.Id).ToArray(), scored[b].Select(s => s.Score).ToArray(),
                    scored[b].Select(s => TieKey(vacancy.Id, s.Row.Reference)).ToArray());
            }
        });
        Mark();
        return new Pools(serving, context, pools.OfType<VacancyPool>().ToList(), seekers, openCount, openPairs, closedPairs,
            new ScoreStages(marks[0], marks[1], marks[2], marks[3]));
    }

    /// <summary>
    /// Ties between equal scores across vacancies: a hash of the vacancy and the seeker's public reference, which favours
    /// neither old nor new vacancies and is the same on every run.
    /// </summary>
    internal static ulong TieKey(long vacancyId, string reference) =>
        StableHash.Of(vacancyId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\u001f" + reference);

    /// <summary>
    /// The congestion cap, once, over every scored pair: pairs are taken best score first (a k-way merge of the pools,
    /// each already best first); a pair is chosen while its vacancy has fewer than <paramref name="topK"/> and its
    /// seeker's open matches (those before the pass plus those chosen) stay within <paramref name="cap"/>. A pair that
    /// is already open is chosen without using a slot of the seeker's (it holds one already); a pair closed before is
    /// passed over. Deterministic: the result depends on the scores only, not on the order of <see cref="Pools.Vacancies"/>.
    /// With an exploration share, <see cref="Explore"/> then gives a share of each full list to candidates drawn from below it.
    /// </summary>
    internal static List<Pick>[] Assign(Pools pools, int topK, int cap) => Assign(pools, topK, cap, 0, _ => "");

    /// <param name="seedOf">The exploration seed of a vacancy (by id): the same seeds give the same picks.</param>
    internal static List<Pick>[] Assign(Pools pools, int topK, int cap, double explorationShare, Func<long, string> seedOf)
    {
        var vacancies = pools.Vacancies;
        var picks = vacancies.Select(_ => new List<Pick>()).ToArray();
        var next = new int[vacancies.Count];
        var added = new Dictionary<long, int>();
        var queue = new PriorityQueue<int, (float NegativeScore, ulong Tie, long VacancyId)>();
        void Offer(int v)
        {
            var pool = vacancies[v];
            if (picks[v].Count < topK && next[v] < pool.SeekerIds.Length)
            {
                queue.Enqueue(v, (-pool.Scores[next[v]], pool.TieKeys[next[v]], pool.Vacancy.Id));
            }
        }
        for (var v = 0; v < vacancies.Count; v++) Offer(v);
        var order = 0;
        while (queue.TryDequeue(out var v, out _))
        {
            var pool = vacancies[v];
            var position = next[v]++;
            var pair = (pool.Vacancy.Id, pool.SeekerIds[position]);
            var seeker = pair.Item2;
            if (pools.OpenPairs.Contains(pair))
            {
                picks[v].Add(new Pick(v, position, order++));
            }
            else if (!pools.ClosedPairs.Contains(pair)
                     && pools.OpenCount.GetValueOrDefault(seeker) + added.GetValueOrDefault(seeker) < cap)
            {
                added[seeker] = added.GetValueOrDefault(seeker) + 1;
                picks[v].Add(new Pick(v, position, order++));
            }
            Offer(v);
        }
        if (explorationShare > 0) Explore(pools, picks, added, topK, cap, ExplorationPolicy.ExploratorySlots(explorationShare, topK), seedOf, order);
        return picks;
    }

    /// <summary>
    /// Exploration, in the greedy step, after every list was decided by score: in each full list the last
    /// <paramref name="slots"/> new picks (ranks topK-slots+1..topK; an open pair keeps its row whatever happens here)
    /// make way for candidates drawn from the next <see cref="ExplorationPolicy.ExplorationDepth"/> of the vacancy's
    /// pool below the list that the cap and closed pairs allow, each put at a drawn position
    /// (<see cref="ExplorationPolicy.Draw"/>). The pool is the hard-filtered one, so nobody a hard filter, consent or
    /// do-not-match rule excludes can be drawn, and the merge checks the one rule again. Each drawn pick records its
    /// propensity: drawn / window. A list not full has nobody eligible below it. Vacancies are visited in an order
    /// drawn from their seeds, so none is always first to the seekers several lists could draw.
    /// </summary>
    private static void Explore(Pools pools, List<Pick>[] picks, Dictionary<long, int> added, int topK, int cap, int slots,
        Func<long, string> seedOf, int order)
    {
        var vacancies = pools.Vacancies;
        var seeds = vacancies.Select(p => seedOf(p.Vacancy.Id)).ToArray();
        foreach (var v in Enumerable.Range(0, vacancies.Count).OrderBy(v => StableHash.Of(seeds[v])).ThenBy(v => vacancies[v].Vacancy.Id))
        {
            var pool = vacancies[v];
            var list = picks[v];
            if (list.Count < topK || list.Count == 0) continue;
            bool Open(int position) => pools.OpenPairs.Contains((pool.Vacancy.Id, pool.SeekerIds[position]));
            var window = new List<int>();
            for (var position = list.Max(p => p.Position) + 1; position < pool.SeekerIds.Length && window.Count < ExplorationPolicy.ExplorationDepth; position++)
            {
                var seeker = pool.SeekerIds[position];
                if (Open(position) || (!pools.ClosedPairs.Contains((pool.Vacancy.Id, seeker))
                                       && pools.OpenCount.GetValueOrDefault(seeker) + added.GetValueOrDefault(seeker) < cap))
                {
                    window.Add(position);
                }
            }
            var displaced = list.Where(p => !Open(p.Position)).TakeLast(Math.Min(slots, window.Count)).ToList();
            if (displaced.Count == 0) continue;
            var draw = ExplorationPolicy.Draw(window.Select(p => pool.TieKeys[p].ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(),
                displaced.Count, list.Count, seeds[v]);
            foreach (var d in displaced)
            {
                added[pool.SeekerIds[d.Position]]--; // a displaced new pick gives its seeker's slot back
            }
            var drawn = new List<Pick>();
            foreach (var index in draw.Drawn)
            {
                var position = window[index];
                if (!Open(position)) added[pool.SeekerIds[position]] = added.GetValueOrDefault(pool.SeekerIds[position]) + 1;
                drawn.Add(new Pick(v, position, order++));
            }
            picks[v] = draw.Arrange(list.Except(displaced).ToList(), drawn)
                .Select(x => x.Item with { Exploratory = x.Exploratory, Propensity = x.Propensity }).ToList();
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Explains the chosen pairs and writes them in one transaction (see the class summary).</summary>
    public async Task<Result> WriteAsync(Pools pools, List<Pick>[] picks, CancellationToken ct)
    {
        var settings = options.Value;
        var serving = pools.Serving;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var marks = new List<TimeSpan>(5);
        void Mark() { marks.Add(clock.Elapsed); clock.Restart(); }
        // Explanations for the chosen pairs only, on every core, in batches across vacancies: one ML.NET Transform
        // per vacancy cost a fixed few milliseconds, 5,000 times a night.
        var chosen = new MatchProposer.Scored[picks.Length][];
        Parallel.For(0, picks.Length, new ParallelOptions { CancellationToken = ct }, v =>
        {
            var pool = pools.Vacancies[v];
            chosen[v] = picks[v].Select(p =>
            {
                var (row, profile) = pools.Seekers[pool.SeekerIds[p.Position]];
                return new MatchProposer.Scored(row, profile, RankingFeatures.Compute(profile, pool.Profile, pools.Context), pool.Scores[p.Position]);
            }).ToArray();
        });
        var all = chosen.SelectMany(c => c).ToArray();
        var reasons = new IReadOnlyList<FeatureReason>[all.Length];
        var batch = Math.Max(1_000, all.Length / (4 * Environment.ProcessorCount) + 1);
        Parallel.ForEach(Enumerable.Range(0, (all.Length + batch - 1) / batch), new ParallelOptions { CancellationToken = ct }, b =>
        {
            var start = b * batch;
            var explained = serving.Ranker.ExplainAll(all.Skip(start).Take(batch).Select(x => x.Features).ToList());
            for (var i = 0; i < explained.Count; i++) reasons[start + i] = explained[i];
        });
        var rows = new List<(long VacancyId, MatchProposer.Ranked Ranked, int Order)>[picks.Length];
        var offset = 0;
        for (var v = 0; v < picks.Length; v++)
        {
            var pool = pools.Vacancies[v];
            var vacancy = v;
            rows[v] = MatchProposer.Explain(pool.Profile, chosen[v], new ArraySegment<IReadOnlyList<FeatureReason>>(reasons, offset, chosen[v].Length))
                .Select((r, i) => (pool.Vacancy.Id, r with { Exploratory = picks[vacancy][i].Exploratory, Propensity = picks[vacancy][i].Propensity },
                    picks[vacancy][i].Order)).ToList();
            offset += chosen[v].Length;
        }

        Mark();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            CREATE TEMPORARY TABLE rematch_pick (vacancy_id bigint, seeker_id bigint, status text, rank int, score real,
                                                explanation jsonb, pick int, exploratory boolean, propensity real) ON COMMIT DROP
            """, transaction: tx, cancellationToken: ct));
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY rematch_pick (vacancy_id, seeker_id, status, rank, score, explanation, pick, exploratory, propensity) FROM STDIN (FORMAT BINARY)", ct))
        {
            // Synchronous writes: the importer buffers; an await per value would cost more than the COPY.
            foreach (var (vacancyId, r, order) in rows.SelectMany(x => x))
            {
                copy.StartRow();
                copy.Write(vacancyId, NpgsqlDbType.Bigint);
                copy.Write(r.SeekerId, NpgsqlDbType.Bigint);
                copy.Write(r.RequiresReview ? MatchStatus.Proposed : MatchStatus.Shown, NpgsqlDbType.Text);
                copy.Write(r.Rank, NpgsqlDbType.Integer);
                copy.Write(r.Score, NpgsqlDbType.Real);
                copy.Write(JsonSerializer.Serialize(r.Explanation, Json), NpgsqlDbType.Jsonb);
                copy.Write(order, NpgsqlDbType.Integer);
                copy.Write(r.Exploratory, NpgsqlDbType.Boolean);
                copy.Write((float)r.Propensity, NpgsqlDbType.Real);
            }
            await copy.CompleteAsync(ct);
        }
        // Statistics for the planner: a temporary table has none, and match may have grown since it was last analysed.
        await connection.ExecuteAsync(new CommandDefinition("ANALYZE rematch_pick", transaction: tx, cancellationToken: ct));
        Mark(); // COPY and its statistics

        // The merge. Checked again here rather than trusted from the read: the vacancy still open and its employer
        // verified, and the cap over the seeker's open matches now (another job may have proposed meanwhile), new
        // pairs counted in the order the pass chose them so the cap keeps the same ones.
        var written = (await connection.QueryAsync<(long Id, bool Inserted)>(new CommandDefinition(
            $"""
            WITH chosen AS (
                SELECT p.*, m.status AS existing
                FROM rematch_pick p
                JOIN vacancy v ON v.id = p.vacancy_id AND v.status = 'open'
                JOIN employer e ON e.organisation_id = v.employer_id AND e.status = 'verified'
                LEFT JOIN match m ON m.vacancy_id = p.vacancy_id AND m.seeker_id = p.seeker_id
            ), fresh AS (
                SELECT c.*, row_number() OVER (PARTITION BY c.seeker_id ORDER BY c.pick) AS nth
                FROM chosen c WHERE c.existing IS NULL
            ), open_now AS MATERIALIZED (
                -- Counted once, not per row: a sub-query per row was planned as a scan of match while this very
                -- statement grew it (measured: minutes for 150,000 rows when match had been empty at planning).
                SELECT o.seeker_id, count(*) AS open
                FROM match o WHERE o.status = ANY (@open) AND o.seeker_id IN (SELECT seeker_id FROM rematch_pick)
                GROUP BY o.seeker_id
            ), allowed AS (
                SELECT vacancy_id, seeker_id, status, rank, score, explanation, exploratory, propensity FROM chosen WHERE existing = 'proposed'
                UNION ALL
                SELECT f.vacancy_id, f.seeker_id, f.status, f.rank, f.score, f.explanation, f.exploratory, f.propensity
                FROM fresh f LEFT JOIN open_now n ON n.seeker_id = f.seeker_id
                WHERE f.nth + coalesce(n.open, 0) <= @cap
            )
            INSERT INTO match (vacancy_id, seeker_id, status, rank, score, ranker, model_version, explanation, exploratory, propensity)
            SELECT vacancy_id, seeker_id, status, rank, score, @ranker, @modelVersion, explanation, exploratory, propensity FROM allowed
            {MatchProposer.ReRankProposed}
            """,
            new { open = MatchStatus.Open, cap = settings.MaxOpenProposalsPerSeeker, ranker = serving.Kind, modelVersion = serving.ModelVersion },
            tx, cancellationToken: ct))).ToList();
        var inserted = written.Where(w => w.Inserted).Select(w => w.Id).ToArray();
        // Again for match, which now holds the rows just written (counted as live inside this transaction).
        await connection.ExecuteAsync(new CommandDefinition("ANALYZE match", transaction: tx, cancellationToken: ct));

        Mark(); // the merge and the statistics it leaves
        // The one rule, on the new rows before anyone can see them: a do-not-match rule, a withdrawn consent or a
        // status change made while the pools were scored removes the row (never "withdrawn": it was never proposed).
        // "= ANY (@inserted)" rather than a join to unnest(@inserted): the planner sizes the array from its value, while
        // unnest counts as 10 rows; measured on 104,155 new rows, 1.03 s of backend CPU against 1.5 s.
        var forbidden = (await connection.QueryAsync<long>(new CommandDefinition(
            """
            DELETE FROM match m USING match_rule r
            WHERE r.match_id = m.id AND m.id = ANY (@inserted) AND r.forbidden_reason IS NOT NULL
            RETURNING m.id
            """, new { inserted }, tx, cancellationToken: ct))).ToHashSet();
        inserted = inserted.Where(id => !forbidden.Contains(id)).ToArray();
        Mark();
        await MatchProposer.RecordProposedAsync(connection, tx, inserted, ct);
        await tx.CommitAsync(ct);
        Mark(); // events and commit
        Observability.JobMatchMetrics.ProposalsMade(inserted.Length);
        return new Result(pools.Vacancies.Count, pools.ScoredPairs, picks.Sum(p => p.Count), inserted.Length,
            written.Count - inserted.Length - forbidden.Count, forbidden.Count, new WriteStages(marks[0], marks[1], marks[2], marks[3], marks[4]));
    }
}
