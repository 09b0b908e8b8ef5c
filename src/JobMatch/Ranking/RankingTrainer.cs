using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace JobMatch.Ranking;

/// <summary>One (vacancy, seeker) pair: the unit of training and evaluation.</summary>
/// <param name="Label">Graded relevance, see <see cref="Outcomes.Label"/>; 0 for a candidate never shown.</param>
/// <param name="Position">1-based rank at which it was shown, when the world logged it.</param>
/// <param name="Randomized">Shown in a randomized list or slot (what propensities are estimated from).</param>
/// <param name="Shown">False for a pool candidate that was never shown: ranked in evaluation, never trained on
/// (its label is unknown, not 0).</param>
/// <param name="ShownPropensity">The probability it was put on the shown list at all (recorded by the platform: below 1
/// for an exploratory slot); 1 for the ranker's own picks and for worlds that do not record it.</param>
internal sealed record RankingExample(
    string VacancyRef, string SeekerRef, float[] Features, int Label, int? Position = null, bool Randomized = false, bool Shown = true,
    double ShownPropensity = 1.0);

internal enum RankingAlgorithm
{
    LightGbm,
    FastTree,
}

/// <summary>
/// Defaults chosen for robustness on small, noisy, unseen worlds (a few thousand to 400k rows) rather
/// than for one world: small trees (7 leaves), at least 20 examples per leaf, a modest learning rate,
/// and one thread so the same data and seed give the same model on any machine. In a light grid over
/// simulator, alien and tiny worlds (leaves 7-31, min leaf 10-50, rate 0.05-0.1, 100-300 rounds) these
/// were at the top, though every setting was within 0.01 NDCG@10 of it: the data, not tuning, limits.
/// </summary>
internal sealed record RankingTrainerOptions
{
    public RankingAlgorithm Algorithm { get; init; } = RankingAlgorithm.LightGbm;
    public int Seed { get; init; } = 42;
    public int Iterations { get; init; } = 200;
    public int Leaves { get; init; } = 7;
    public int MinExamplesPerLeaf { get; init; } = 20;
    public double LearningRate { get; init; } = 0.05;
    public int Threads { get; init; } = 1;
}

internal sealed class RankingTrainer(RankingTrainerOptions options)
{
    public RankingTrainer()
        : this(new RankingTrainerOptions())
    {
    }

    public ModelRanker Train(World world) => Train(RankingDataset.FromWorld(world).Examples);

    /// <summary>
    /// Trains on the examples that were shown (a candidate never shown has no label to learn from). With
    /// <paramref name="weight"/>, each example counts that much (inverse-propensity weights; see
    /// <see cref="ExaminationPropensity"/>); without, every example counts once.
    /// </summary>
    public ModelRanker Train(IEnumerable<RankingExample> examples, Func<RankingExample, float>? weight = null)
    {
        // ML.NET treats every change of group id between consecutive rows as a new group, silently.
        // Sorting by (vacancy, seeker) keeps each vacancy contiguous and makes the model independent
        // of input row order.
        var sorted = examples
            .Where(e => e.Shown)
            .OrderBy(e => e.VacancyRef, StringComparer.Ordinal)
            .ThenBy(e => e.SeekerRef, StringComparer.Ordinal)
            .ToList();
        if (!sorted.Any(e => e.Label > 0))
        {
            throw new InvalidOperationException("Cannot train a ranking model: no example has a positive outcome.");
        }

        // LightGBM splits a node only when both sides keep MinExamplesPerLeaf rows; below twice that it learns no tree
        // at all, and ML.NET then fails deep inside with an ArgumentNullException (a tiny simulated world did).
        if (sorted.Count < MinimumExamples)
        {
            throw new InvalidOperationException($"Cannot train a ranking model: {sorted.Count} shown examples are too few (at least {MinimumExamples}).");
        }

        var rows = new List<TrainingRow>(sorted.Count);
        uint group = 0;
        string? previous = null;
        foreach (var e in sorted)
        {
            if (!string.Equals(e.VacancyRef, previous, StringComparison.Ordinal))
            {
                group++;
                previous = e.VacancyRef;
            }

            rows.Add(new TrainingRow { Label = e.Label, GroupId = group, Features = e.Features, Weight = weight?.Invoke(e) ?? 1f });
        }

        var ml = new MLContext(options.Seed);
        var schema = SchemaDefinition.Create(typeof(TrainingRow));
        ModelRanker.AddFeatureSlotNames(schema);
        // A key-typed group (1..groups) suits both LightGBM and FastTree; FastTree refuses a plain uint.
        schema[nameof(TrainingRow.GroupId)].ColumnType = new KeyDataViewType(typeof(uint), Math.Max(1, group));
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        ITransformer model;
        try
        {
            model = Fit(ml, data, weight is not null);
        }
        catch (ArgumentNullException e)
        {
            throw new InvalidOperationException($"Cannot train a ranking model: {sorted.Count} examples gave no tree (too few, or no feature that separates them).", e);
        }
        return new ModelRanker(ml, model);
    }

    /// <summary>Fewest shown examples a model is trained from: two leaves of <see cref="RankingTrainerOptions.MinExamplesPerLeaf"/>.</summary>
    public int MinimumExamples => 2 * options.MinExamplesPerLeaf;

    private ITransformer Fit(MLContext ml, IDataView data, bool weighted) =>
        options.Algorithm switch
        {
            RankingAlgorithm.FastTree => (ITransformer)ml.Ranking.Trainers.FastTree(Columns(new FastTreeRankingTrainer.Options
            {
                NumberOfLeaves = options.Leaves,
                MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
                LearningRate = options.LearningRate,
                NumberOfTrees = options.Iterations,
                NumberOfThreads = options.Threads,
                Seed = options.Seed,
            }, weighted)).Fit(data),
            _ => ml.Ranking.Trainers.LightGbm(Columns(new LightGbmRankingTrainer.Options
            {
                NumberOfLeaves = options.Leaves,
                MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
                LearningRate = options.LearningRate,
                NumberOfIterations = options.Iterations,
                NumberOfThreads = options.Threads,
                Seed = options.Seed,
                Silent = true,
            }, weighted)).Fit(data),
        };

    /// <summary>The columns both ranking trainers read (the weight column only when examples are weighted).</summary>
    private static T Columns<T>(T trainer, bool weighted) where T : TrainerInputBaseWithGroupId
    {
        trainer.LabelColumnName = nameof(TrainingRow.Label);
        trainer.FeatureColumnName = nameof(TrainingRow.Features);
        trainer.RowGroupColumnName = nameof(TrainingRow.GroupId);
        trainer.ExampleWeightColumnName = weighted ? nameof(TrainingRow.Weight) : null;
        return trainer;
    }

    private sealed class TrainingRow
    {
        public float Label { get; set; }

        public uint GroupId { get; set; }

        public float[] Features { get; set; } = [];

        public float Weight { get; set; } = 1f;
    }
}
