using JobMatch.Ranking;

namespace JobMatch.Tests.Ranking;

public sealed class WorldReaderTests
{
    [Fact]
    public void Read_ParsesTheMinimalWorld()
    {
        using var dir = new TempWorld().With(TempWorld.Minimal);

        var world = WorldReader.Read(dir.Path);

        Assert.Equal(2, world.Seekers.Count);
        var a = world.Seekers.Single(s => s.SeekerRef == "a");
        Assert.Equal("F", a.Gender);
        Assert.Equal(["s1", "s2"], a.Profile.PreferredSectors);
        Assert.Equal(new SkillHolding("X1", 3, true, 12), Assert.Single(a.Profile.Skills));
        var b = world.Seekers.Single(s => s.SeekerRef == "b");
        Assert.Null(b.Profile.ExpectedWageBdt);
        Assert.Null(b.Profile.MaxTravelKm);
        Assert.Equal(WorkKind.Any, b.Profile.Wants);
        Assert.Equal("ZZ9", Assert.Single(b.Profile.Skills).Code);
        var v = Assert.Single(world.Vacancies);
        Assert.Equal("Tailor, senior", v.Title);
        Assert.Equal([new SkillRequirement("X1", 2, true), new SkillRequirement("X2", 1, false)], v.Profile.Skills);
        Assert.Equal(CandidateOutcome.Hired, world.Outcomes[0].Outcome);
    }

    [Fact]
    public void Read_AcceptsColumnsInAnyOrder_UnknownColumnsAndBom()
    {
        using var dir = new TempWorld().With(TempWorld.Minimal).With(new Dictionary<string, string>
        {
            ["seekers.csv"] =
                "\uFEFFmax_travel_km,favourite_colour,wants,seeker_ref,lat,lon,gender,education_level,expected_wage_bdt,preferred_sectors\n" +
                "10,\"blue, mostly\",wage,a,21.4,92.0,F,2,10000,s1\n" +
                "5,red,self,b,21.5,92.1,M,3,8000,\n",
            ["outcomes.csv"] = "note,outcome,seeker_ref,vacancy_ref\n\"x\ny\",interviewed,b,v1\n,declined,a,v1\n",
        });

        var world = WorldReader.Read(dir.Path);

        var b = world.Seekers.Single(s => s.SeekerRef == "b");
        Assert.Equal(5, b.Profile.MaxTravelKm);
        Assert.Equal(WorkKind.Self, b.Profile.Wants);
        Assert.Null(b.BirthYear);
        Assert.Equal(new WorldOutcome("v1", "b", CandidateOutcome.Interviewed), world.Outcomes[0]);
        Assert.Equal(new WorldOutcome("v1", "a", CandidateOutcome.Declined), world.Outcomes[1]);
    }

    [Fact]
    public void Read_NamesFileAndLine_WhenANumberIsUnparsable()
    {
        using var dir = new TempWorld().With(TempWorld.Minimal)
            .With("seeker_skills.csv", "seeker_ref,skill_code,level,certified,months_experience\na,X1,3,1,12\nb,X2,two,0,1\n");

        var error = Assert.Throws<WorldFormatException>(() => WorldReader.Read(dir.Path));

        Assert.Contains("seeker_skills.csv line 3", error.Message);
        Assert.Contains("'two'", error.Message);
    }

    [Fact]
    public void Read_NamesFileAndColumn_WhenARequiredColumnIsMissing()
    {
        using var dir = new TempWorld().With(TempWorld.Minimal)
            .With("vacancy_skills.csv", "vacancy_ref,skill_code,required\nv1,X1,1\n");

        var error = Assert.Throws<WorldFormatException>(() => WorldReader.Read(dir.Path));

        Assert.Contains("vacancy_skills.csv", error.Message);
        Assert.Contains("'min_level'", error.Message);
    }

    [Fact]
    public void Read_NamesFileAndLine_WhenAnOutcomeIsUnknown()
    {
        using var dir = new TempWorld().With(TempWorld.Minimal)
            .With("outcomes.csv", "vacancy_ref,seeker_ref,outcome\nv1,a,hired\nv1,b,maybe\n");

        var error = Assert.Throws<WorldFormatException>(() => WorldReader.Read(dir.Path));

        Assert.Contains("outcomes.csv line 3", error.Message);
    }

    [Fact]
    public void Read_IgnoresOddValues_InColumnsRankingDoesNotUse()
    {
        using var dir = new TempWorld().With(TempWorld.Minimal).With(
            "vacancies.csv",
            "vacancy_ref,sector,lat,lon,wage_min_bdt,wage_max_bdt,employment_type,min_education_level,openings\n" +
            "v1,s1,21.4,92.0,,,Self,,several\n");

        var vacancy = Assert.Single(WorldReader.Read(dir.Path).Vacancies);

        Assert.Equal(1, vacancy.Openings);
        Assert.Equal("", vacancy.Title);
        Assert.Equal(WorkKind.Self, vacancy.Profile.EmploymentType);
        Assert.Null(vacancy.Profile.WageMaxBdt);
    }

    [Fact]
    public void Read_NamesTheFile_WhenOneIsMissing()
    {
        using var dir = new TempWorld().With(TempWorld.Minimal);
        File.Delete(Path.Combine(dir.Path, "vacancies.csv"));

        var error = Assert.Throws<WorldFormatException>(() => WorldReader.Read(dir.Path));

        Assert.Contains("vacancies.csv", error.Message);
    }

    [Fact]
    public void WriteThenRead_GivesTheSameWorld()
    {
        var world = TestWorlds.Simulated(seekers: 60, vacancies: 8, candidates: 10, seed: 3);
        using var dir = new TempWorld();

        WorldWriter.Write(world, dir.Path);
        var read = WorldReader.Read(dir.Path);

        Assert.Equal(world.Skills, read.Skills);
        Assert.Equal(world.Outcomes, read.Outcomes);
        Assert.Equal(world.Seekers.Select(s => s.SeekerRef), read.Seekers.Select(s => s.SeekerRef));
        Assert.Equal(
            world.Seekers.SelectMany(s => s.Profile.Skills),
            read.Seekers.SelectMany(s => s.Profile.Skills));
        Assert.Equal(world.Vacancies.Select(v => v.Profile.WageMaxBdt), read.Vacancies.Select(v => v.Profile.WageMaxBdt));
        Assert.Equal(
            world.Vacancies.SelectMany(v => v.Profile.Skills),
            read.Vacancies.SelectMany(v => v.Profile.Skills));
    }
}
