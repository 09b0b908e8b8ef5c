using JobMatch.Ranking;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace JobMatch.Tests.Ranking;

/// <summary>One model trained on the committed tiny world, shared by the tests below.</summary>
public sealed class TinyModelFixture
{
    public TinyModelFixture()
    {
        World = WorldReader.Read(TestWorlds.TinyWorldDirectory);
        Dataset = RankingDataset.FromWorld(World);
        Model = new RankingTrainer().Train(Dataset.Examples);
    }

    internal World World { get; }

    internal RankingDataset Dataset { get; }

    internal ModelRanker Model { get; }
}

public sealed class ModelRankerTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public void Evaluate_ClearsTheNdcgFloor_AndBeatsRandom_OnTheTinyWorld()
    {
        var report = EvaluateCommand.Evaluate(tiny.World, "tiny", 0.25, 42, new RankingTrainerOptions(), TextWriter.Null);
        var model = report.Rankers.Single(r => r.Name == "model").Metrics;
        var random = report.Rankers.Single(r => r.Name == "random").Metrics;

        // Observed 0.89 (random 0.18) with seed 42 on 20 test vacancies (15 scored); the floor leaves room for small
        // changes in features or settings, not for a broken model.
        Assert.True(model.Ndcg10 >= 0.8, $"model NDCG@10 {model.Ndcg10:F3}");
        Assert.True(model.Ndcg10 > random.Ndcg10 + 0.4, $"model {model.Ndcg10:F3} vs random {random.Ndcg10:F3}");
    }

    [Fact]
    public void Train_GivesTheSameModel_WhenRowsAreInterleaved()
    {
        var interleaved = tiny.Dataset.Examples.OrderBy(e => StableHash.Of(e.SeekerRef + e.VacancyRef)).ToList();
        Assert.NotEqual(tiny.Dataset.Examples.Select(e => e.VacancyRef), interleaved.Select(e => e.VacancyRef));

        var model = new RankingTrainer().Train(interleaved);

        var probe = Candidates(tiny.Dataset.Examples.Take(200));
        Assert.Equal(tiny.Model.Score("v", probe), model.Score("v", probe));
    }

    [Fact]
    public void Model_InputSchemaIsExactlyTheAllowList()
    {
        using var stream = new MemoryStream();
        tiny.Model.Save(stream);
        stream.Position = 0;
        var ml = new MLContext();
        ml.Model.Load(stream, out var schema);

        var columns = schema.Select(c => c.Name).ToList();
        VBuffer<ReadOnlyMemory<char>> slots = default;
        schema["Features"].GetSlotNames(ref slots);
        var slotNames = slots.DenseValues().Select(s => s.ToString()).ToList();

        Assert.Equal(["Features"], columns);
        Assert.Equal(RankingFeatures.Names, slotNames);
        Assert.Equal(RankingFeatures.Names, tiny.Model.FeatureNames);
        Assert.DoesNotContain(slotNames.Concat(columns), RankingFeaturesTests.IsForbidden);
    }

    [Fact]
    public void SaveThenLoad_ScoresTheSame()
    {
        var loaded = ModelRanker.TryLoad(tiny.Model.ToBytes());

        var probe = Candidates(tiny.Dataset.Examples.Take(100));
        Assert.NotNull(loaded);
        Assert.Equal(tiny.Model.Score("v", probe), loaded.Score("v", probe));
    }

    [Fact]
    public void TryLoad_ReturnsNull_WhenBytesAreCorruptOrMissing()
    {
        var bytes = tiny.Model.ToBytes();
        var truncated = bytes[..(bytes.Length / 2)];
        var scrambled = bytes.Select((b, i) => i > 100 ? (byte)(b ^ 0x5A) : b).ToArray();

        Assert.Null(ModelRanker.TryLoad(null));
        Assert.Null(ModelRanker.TryLoad([]));
        Assert.Null(ModelRanker.TryLoad("not a model"u8.ToArray()));
        Assert.Null(ModelRanker.TryLoad(truncated));
        Assert.Null(ModelRanker.TryLoad(scrambled));
    }

    [Fact]
    public void Explain_GivesAllowListedNamesAndDirections()
    {
        var best = tiny.Dataset.Examples.First(e => e.Label == 3);

        var reasons = tiny.Model.Explain(best.Features, count: 4);

        Assert.InRange(reasons.Count, 1, 4);
        Assert.All(reasons, r =>
        {
            Assert.Contains(r.Feature, RankingFeatures.Names);
            Assert.Contains(r.Direction, new[] { -1, 1 });
        });
    }

    [Fact]
    public void Score_IsSafeToCallFromManyThreads()
    {
        var probe = Candidates(tiny.Dataset.Examples.Take(40));
        var expected = tiny.Model.Score("v", probe);

        var results = Enumerable.Range(0, 8).AsParallel().Select(_ => tiny.Model.Score("v", probe)).ToList();

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void FastTree_TrainsOnTheSameRows()
    {
        var model = new RankingTrainer(new RankingTrainerOptions { Algorithm = RankingAlgorithm.FastTree, Iterations = 50 })
            .Train(tiny.Dataset.Examples);

        var probe = Candidates(tiny.Dataset.Examples.Take(20));
        Assert.Equal(20, model.Score("v", probe).Count);
        Assert.Equal(RankingFeatures.Names, model.FeatureNames);
    }

    private static List<RankingCandidate> Candidates(IEnumerable<RankingExample> examples) =>
        examples.Select(e => new RankingCandidate(e.SeekerRef, e.Features)).ToList();
}
