namespace JobMatch.Tests.Ranking;

/// <summary>A temporary folder for world files, deleted on dispose.</summary>
internal sealed class TempWorld : IDisposable
{
    public TempWorld()
    {
        Directory.CreateDirectory(Path);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"jobmatch-world-{Guid.NewGuid():N}");

    /// <summary>The small valid world used by reader tests; each file can be replaced.</summary>
    public static readonly Dictionary<string, string> Minimal = new()
    {
        ["skills.csv"] = "code,name_en,name_bn,sector\nX1,Thing one,,s1\nX2,\"Thing, two\",,s1\n",
        ["seekers.csv"] =
            "seeker_ref,upazila,lat,lon,gender,birth_year,education_level,expected_wage_bdt,wants,preferred_sectors,max_travel_km\n" +
            "a,U,21.4,92.0,F,1990,2,10000,wage,s1;s2,10\n" +
            "b,U,21.5,92.1,M,1985,3,,any,,\n",
        ["seeker_skills.csv"] = "seeker_ref,skill_code,level,certified,months_experience\na,X1,3,1,12\nb,ZZ9,2,0,\n",
        ["vacancies.csv"] =
            "vacancy_ref,employer_ref,title,sector,upazila,lat,lon,wage_min_bdt,wage_max_bdt,employment_type,openings,min_education_level\n" +
            "v1,e1,\"Tailor, senior\",s1,U,21.45,92.05,9000,12000,wage,1,1\n",
        ["vacancy_skills.csv"] = "vacancy_ref,skill_code,min_level,required\nv1,X1,2,1\nv1,X2,1,0\n",
        ["outcomes.csv"] = "vacancy_ref,seeker_ref,outcome\nv1,a,hired\nv1,b,not_selected\n",
    };

    public TempWorld With(IReadOnlyDictionary<string, string> files)
    {
        foreach (var (name, text) in files)
        {
            File.WriteAllText(System.IO.Path.Combine(Path, name), text);
        }

        return this;
    }

    public TempWorld With(string file, string text) => With(new Dictionary<string, string> { [file] = text });

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
