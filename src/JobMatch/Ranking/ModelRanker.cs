using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace JobMatch.Ranking;

/// <summary>
/// A trained ranking model (LightGBM LambdaRank, or FastTree for comparison). Load it once and share it:
/// scoring goes through <c>Transform</c> over an in-memory batch, which is thread-safe, unlike a shared
/// PredictionEngine. The model's input schema carries the feature names as slot names; a model whose
/// names differ from <see cref="RankingFeatures.Names"/> is refused, so an old model can never be fed
/// a newer feature vector.
/// </summary>
internal sealed class ModelRanker : IRanker
{
    private readonly MLContext _ml;
    private readonly ISingleFeaturePredictionTransformer<ICalculateFeatureContribution> _model;
    private readonly ITransformer _contributions;

    public ModelRanker(MLContext ml, ITransformer model)
    {
        _ml = ml;
        _model = model as ISingleFeaturePredictionTransformer<ICalculateFeatureContribution>
                 ?? throw new InvalidDataException($"Not a tree ranking model: {model.GetType().Name}.");
        // Explanations: ML.NET's feature contribution calculation works on the LightGBM and FastTree
        // ranking model parameters (checked on this stack); all slots, unnormalised, so signs are exact.
        _contributions = ml.Transforms.CalculateFeatureContribution(
                _model, RankingFeatures.Count, RankingFeatures.Count, normalize: false)
            .Fit(Rows([]));
    }

    /// <summary>The input schema a model must have: one vector column "Features" named slot by slot.</summary>
    public static SchemaDefinition ScoringSchema()
    {
        var schema = SchemaDefinition.Create(typeof(ScoringRow));
        AddFeatureSlotNames(schema);
        return schema;
    }

    public static void AddFeatureSlotNames(SchemaDefinition schema)
    {
        var count = RankingFeatures.Count;
        schema[nameof(ScoringRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, count);
        schema[nameof(ScoringRow.Features)].AddAnnotation(
            "SlotNames",
            new VBuffer<ReadOnlyMemory<char>>(count, RankingFeatures.Names.Select(n => n.AsMemory()).ToArray()),
            new VectorDataViewType(TextDataViewType.Instance, count));
    }

    public IReadOnlyList<float> Score(string vacancyRef, IReadOnlyList<RankingCandidate> candidates)
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        var scored = _model.Transform(Rows(candidates.Select(c => c.Features)));
        return scored.GetColumn<float>("Score").ToArray();
    }

    public IReadOnlyList<FeatureReason> Explain(float[] features, int count = 3)
    {
        var output = _contributions.Transform(Rows([features]));
        var contributions = output.GetColumn<float[]>("FeatureContributions").Single();
        return FeatureReasons.Top(contributions, count);
    }

    public IReadOnlyList<IReadOnlyList<FeatureReason>> ExplainAll(IReadOnlyList<float[]> features, int count = 3)
    {
        if (features.Count == 0) return [];
        var output = _contributions.Transform(Rows(features));
        return output.GetColumn<float[]>("FeatureContributions").Select(c => FeatureReasons.Top(c, count)).ToList();
    }

    /// <summary>The model's feature names, read back from its input schema.</summary>
    public IReadOnlyList<string> FeatureNames => SlotNames(Rows([]).Schema);

    public void Save(Stream stream) => _ml.Model.Save(_model, Rows([]).Schema, stream);

    public static ModelRanker Load(Stream stream)
    {
        var ml = new MLContext(seed: 0);
        var model = ml.Model.Load(stream.CanSeek ? stream : Buffer(stream), out var inputSchema);
        var names = SlotNames(inputSchema);
        if (!names.SequenceEqual(RankingFeatures.Names))
        {
            throw new InvalidDataException(
                $"The model was trained on features [{string.Join(", ", names)}], not on this version's feature list.");
        }

        return new ModelRanker(ml, model);
    }

    /// <summary>The model, or null when the bytes are missing, corrupt or from another feature list:
    /// the caller then falls back to <see cref="RuleRanker"/>.</summary>
    public static ModelRanker? TryLoad(byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return null;
        }

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return Load(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        Save(stream);
        return stream.ToArray();
    }

    private IDataView Rows(IEnumerable<float[]> features) =>
        _ml.Data.LoadFromEnumerable(
            features.Select(f => f.Length == RankingFeatures.Count
                ? new ScoringRow { Features = f }
                : throw new ArgumentException($"Expected {RankingFeatures.Count} features, got {f.Length}.")),
            ScoringSchema());

    private static string[] SlotNames(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(nameof(ScoringRow.Features));
        if (column is not { } features || features.Annotations.Schema.GetColumnOrNull("SlotNames") is null)
        {
            return [];
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        features.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static MemoryStream Buffer(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    internal sealed class ScoringRow
    {
        public float[] Features { get; set; } = [];
    }
}
