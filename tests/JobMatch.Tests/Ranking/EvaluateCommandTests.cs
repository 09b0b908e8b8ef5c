using System.Text.Json;
using JobMatch.Ranking;

namespace JobMatch.Tests.Ranking;

public sealed class EvaluateCommandTests
{
    [Fact]
    public async Task RunAsync_PrintsOnlyTheDocumentedJson_AndTheSameTwice()
    {
        var (code, json, _) = await RunAsync("--world", TestWorlds.TinyWorldDirectory, "--seed", "3");
        var (_, again, _) = await RunAsync("--world", TestWorlds.TinyWorldDirectory, "--seed", "3");

        Assert.Equal(0, code);
        Assert.Equal(json, again);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(
            ["world", "train_vacancies", "test_vacancies", "scored_test_vacancies", "rankers"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(TestWorlds.TinyWorldDirectory, root.GetProperty("world").GetString());
        Assert.Equal(64, root.GetProperty("train_vacancies").GetInt32());
        Assert.Equal(16, root.GetProperty("test_vacancies").GetInt32());
        Assert.InRange(root.GetProperty("scored_test_vacancies").GetInt32(), 1, 16);
        Assert.Equal(["model", "rule", "random"], root.GetProperty("rankers").EnumerateObject().Select(p => p.Name));
        foreach (var ranker in root.GetProperty("rankers").EnumerateObject())
        {
            var keys = ranker.Value.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(["ndcg@1", "ndcg@3", "ndcg@10", "women_exposure_ratio"], keys.Take(4));
            Assert.InRange(ranker.Value.GetProperty("ndcg@10").GetDouble(), 0, 1);
        }
    }

    [Fact]
    public async Task RunAsync_WritesTheJsonFile_WhenAsked()
    {
        using var dir = new TempWorld();
        var file = Path.Combine(dir.Path, "report.json");

        var (code, json, _) = await RunAsync("--world", TestWorlds.TinyWorldDirectory, "--json", file, "--test-fraction", "0.3");

        Assert.Equal(0, code);
        Assert.Equal(json, File.ReadAllText(file).TrimEnd('\n'));
    }

    [Theory]
    [InlineData]
    [InlineData("--world")]
    [InlineData("--world", "/no/such/world")]
    [InlineData("--wrold", "x")]
    [InlineData("--world", "x", "--test-fraction", "1.5")]
    [InlineData("--world", "x", "--seed", "abc")]
    public async Task RunAsync_Returns2WithAMessage_WhenArgumentsAreBad(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("evaluate: ", stderr);
    }

    [Fact]
    public async Task RunAsync_Returns2NamingFileAndLine_WhenTheWorldIsMalformed()
    {
        using var dir = new TempWorld().With(TempWorld.Minimal)
            .With("vacancies.csv",
                "vacancy_ref,sector,lat,lon,wage_min_bdt,wage_max_bdt,employment_type,min_education_level\n" +
                "v1,s1,21.4,92.0,lots,12000,wage,1\n");

        var (code, stdout, stderr) = await RunAsync("--world", dir.Path);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("vacancies.csv line 2", stderr);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await EvaluateCommand.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString().TrimEnd('\n'), stderr.ToString());
    }
}
