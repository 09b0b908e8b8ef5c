using JobMatch.Ranking;

namespace JobMatch.Tests.Ranking;

public sealed class WorldSimulatorTests
{
    [Fact]
    public async Task Simulate_WritesTheSameFiles_ForTheSameSeed()
    {
        using var first = new TempWorld();
        using var second = new TempWorld();
        string[] args = ["--seekers", "120", "--vacancies", "15", "--candidates", "12", "--seed", "9", "--data", TestWorlds.TaxonomyDirectory];

        Assert.Equal(0, await SimulateCommand.RunAsync([.. args, "--out", first.Path], TextWriter.Null));
        Assert.Equal(0, await SimulateCommand.RunAsync([.. args, "--out", second.Path], TextWriter.Null));

        foreach (var file in new[] { "skills.csv", "seekers.csv", "seeker_skills.csv", "vacancies.csv", "vacancy_skills.csv", "outcomes.csv" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(first.Path, file)), File.ReadAllText(Path.Combine(second.Path, file)));
        }
    }

    [Fact]
    public void Generate_MakesAPlausibleWorld()
    {
        var world = TestWorlds.Simulated(seekers: 400, vacancies: 50, candidates: 20, seed: 4);

        var women = world.Seekers.Count(s => s.Gender == "F") / (double)world.Seekers.Count;
        Assert.InRange(women, 0.45, 0.67);
        Assert.Equal(50 * 20, world.Outcomes.Count);
        Assert.All(world.Outcomes.GroupBy(o => o.VacancyRef), g =>
        {
            Assert.Equal(20, g.Select(o => o.SeekerRef).Distinct().Count());
            var openings = world.Vacancies.Single(v => v.VacancyRef == g.Key).Openings;
            Assert.True(g.Count(o => o.Outcome == CandidateOutcome.Hired) <= openings);
        });
        var positive = world.Outcomes.Count(o => Outcomes.Label(o.Outcome) > 0) / (double)world.Outcomes.Count;
        Assert.InRange(positive, 0.03, 0.3);
        var taxonomy = SeedTaxonomy.Load(TestWorlds.TaxonomyDirectory);
        Assert.Equal(taxonomy.Skills.Select(s => s.Code), world.Skills.Select(s => s.Code));
    }

    [Fact]
    public async Task Simulate_Returns2_WhenTheTaxonomyIsMissing()
    {
        using var empty = new TempWorld();
        using var output = new TempWorld();

        var code = await SimulateCommand.RunAsync(["--out", output.Path, "--data", empty.Path], TextWriter.Null);

        Assert.Equal(2, code);
    }
}
