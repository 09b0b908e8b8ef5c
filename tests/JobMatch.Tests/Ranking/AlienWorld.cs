using System.Globalization;
using System.Text;

namespace JobMatch.Tests.Ranking;

/// <summary>
/// A deliberately different world generator, independent of <c>WorldSimulator</c>, to check that
/// evaluate generalises: other skill codes (S0001...), another region, a hidden utility dominated by
/// something else, label rules of its own; every file's rows and columns shuffled, an unknown column,
/// CRLF line ends and a BOM.
/// </summary>
internal sealed class AlienWorld(int seed)
{
    public enum Utility
    {
        /// <summary>Mostly: is it close enough and does it pay enough.</summary>
        DistanceAndWage,

        /// <summary>Mostly: certified, experienced holders of the required skills.</summary>
        CertifiedSkills,
    }

    private readonly Random _random = new(seed);

    public void Write(string dir, int seekers, int vacancies, int candidates, Utility utility)
    {
        const int skillCount = 150, sectorCount = 10;
        var skillSector = Enumerable.Range(1, skillCount).ToDictionary(i => $"S{i:D4}", i => $"SEC-{(char)('A' + i % sectorCount)}");
        var codes = skillSector.Keys.ToArray();
        var people = Enumerable.Range(0, seekers).Select(i => NewPerson($"cand-{i * 7 + 3:D6}", codes, sectorCount)).ToList();
        var jobs = Enumerable.Range(0, vacancies).Select(i => NewJob($"job/{i:D4}", codes, skillSector)).ToList();
        var outcomes = new List<string[]>();
        foreach (var job in jobs)
        {
            var pool = people.Where(p => p.Skills.Keys.Any(job.Skills.ContainsKey)).OrderBy(_ => _random.Next()).Take(candidates / 2)
                .Concat(people.OrderBy(_ => _random.Next()).Take(candidates))
                .DistinctBy(p => p.Ref).Take(candidates).ToList();
            var ranked = pool.Select(p => (p, u: Score(p, job, utility) + Gaussian(0.4))).OrderByDescending(x => x.u).ToList();
            var median = ranked[ranked.Count / 2].u;
            for (var r = 0; r < ranked.Count; r++)
            {
                var (p, u) = ranked[r];
                var outcome = r == 0 && u > median + 1.5 ? "hired"
                    : r < 3 && u > median + 1.0 ? "interviewed"
                    : r < 7 && u > median + 0.5 ? "shortlisted"
                    : _random.NextDouble() < 0.1 ? "declined" : "not_selected";
                outcomes.Add([job.Ref, p.Ref, outcome, r % 3 == 0 ? "via \"app\", batch 1" : ""]);
            }
        }

        Directory.CreateDirectory(dir);
        WriteShuffled(dir, "skills.csv", ["code", "name_en", "name_bn", "sector", "colour"],
            skillSector.Select(s => new[] { s.Key, $"Skill {s.Key}, general", "", s.Value, "blue" }));
        WriteShuffled(dir, "seekers.csv",
            ["seeker_ref", "upazila", "lat", "lon", "gender", "birth_year", "education_level", "expected_wage_bdt", "wants", "preferred_sectors", "max_travel_km", "notes"],
            people.Select(p => new[]
            {
                p.Ref, "Z", F(p.Lat), F(p.Lon), p.Gender, "1990", F(p.Education), F(p.Wage), p.Wants,
                string.Join(';', p.Preferred), F(p.Travel), "line1\nline2",
            }));
        WriteShuffled(dir, "seeker_skills.csv", ["seeker_ref", "skill_code", "level", "certified", "months_experience", "source"],
            people.SelectMany(p => p.Skills.Values.Select(s => new[] { p.Ref, s.Code, F(s.Level), s.Certified ? "1" : "0", F(s.Months), "x" })));
        WriteShuffled(dir, "vacancies.csv",
            ["vacancy_ref", "employer_ref", "title", "sector", "upazila", "lat", "lon", "wage_min_bdt", "wage_max_bdt", "employment_type", "openings", "min_education_level", "posted"],
            jobs.Select(j => new[]
            {
                j.Ref, "emp", "Worker, \"general\"", j.Sector, "Z", F(j.Lat), F(j.Lon), F(j.WageMin), F(j.WageMax), j.Type, "1", F(j.MinEducation), "2026-01-01",
            }));
        WriteShuffled(dir, "vacancy_skills.csv", ["vacancy_ref", "skill_code", "min_level", "required"],
            jobs.SelectMany(j => j.Skills.Values.Select(s => new[] { j.Ref, s.Code, F(s.MinLevel), s.Required ? "1" : "0" })));
        WriteShuffled(dir, "outcomes.csv", ["vacancy_ref", "seeker_ref", "outcome", "channel"], outcomes);
    }

    private double Score(Person p, Job j, Utility utility)
    {
        var km = Km(p.Lat, p.Lon, j.Lat, j.Lon);
        var wageGap = (j.WageMax - p.Wage) / p.Wage;
        var required = j.Skills.Values.Where(s => s.Required).ToList();
        var certifiedHeld = required.Count(s => p.Skills.TryGetValue(s.Code, out var h) && h.Certified && h.Level >= s.MinLevel);
        var held = required.Count(s => p.Skills.ContainsKey(s.Code));
        var months = required.Sum(s => p.Skills.TryGetValue(s.Code, out var h) ? h.Months : 0);
        return utility switch
        {
            Utility.DistanceAndWage =>
                -3.0 * Math.Min(2, km / p.Travel) + 4.0 * Math.Clamp(wageGap, -0.5, 0.5) + 0.6 * held / Math.Max(1, required.Count)
                - (p.Wants != "any" && p.Wants != j.Type ? 1.0 : 0),
            _ =>
                3.0 * certifiedHeld / Math.Max(1, required.Count) + 1.0 * Math.Log(1 + months) / Math.Log(100)
                + 0.5 * held / Math.Max(1, required.Count) - 0.3 * Math.Min(2, km / p.Travel) - (p.Education < j.MinEducation ? 0.5 : 0),
        };
    }

    private Person NewPerson(string id, string[] codes, int sectorCount)
    {
        var skills = new Dictionary<string, Held>();
        var count = _random.Next(2, 9);
        while (skills.Count < count)
        {
            var code = codes[_random.Next(codes.Length)];
            skills[code] = new Held(code, _random.Next(1, 5), _random.NextDouble() < 0.3, _random.Next(0, 121));
        }

        var preferred = _random.NextDouble() < 0.5 ? [] : new[] { $"SEC-{(char)('A' + _random.Next(sectorCount))}" };
        return new Person(id, 23.8 + Gaussian(0.3), 90.4 + Gaussian(0.3), _random.NextDouble() < 0.5 ? "F" : _random.NextDouble() < 0.97 ? "M" : "X",
            _random.Next(0, 6), 8000 + _random.Next(0, 220) * 100, new[] { "wage", "self", "any" }[_random.Next(3)], preferred,
            Math.Round(5 + _random.NextDouble() * 75, 1), skills);
    }

    private Job NewJob(string id, string[] codes, Dictionary<string, string> skillSector)
    {
        var skills = new Dictionary<string, Ask>();
        var count = _random.Next(2, 6);
        while (skills.Count < count)
        {
            var code = codes[_random.Next(codes.Length)];
            skills[code] = new Ask(code, _random.Next(1, 4), skills.Count < 2 || _random.NextDouble() < 0.5);
        }

        var min = 8000 + _random.Next(0, 150) * 100;
        return new Job(id, skillSector[skills.Keys.First()], 23.8 + Gaussian(0.3), 90.4 + Gaussian(0.3), min,
            min * (1 + _random.NextDouble()), _random.NextDouble() < 0.8 ? "wage" : "self", _random.Next(0, 5), skills);
    }

    private void WriteShuffled(string dir, string file, string[] header, IEnumerable<string[]> rows)
    {
        var order = Enumerable.Range(0, header.Length).OrderBy(_ => _random.Next()).ToArray();
        var lines = rows.OrderBy(_ => _random.Next()).Select(r => Line(order.Select(i => r[i]))).ToList();
        var text = Line(order.Select(i => header[i])) + "\r\n" + string.Join("\r\n", lines) + "\r\n";
        File.WriteAllText(Path.Combine(dir, file), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
    }

    private static string Line(IEnumerable<string> fields) =>
        string.Join(',', fields.Select(f => f.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{f.Replace("\"", "\"\"")}\"" : f));

    private static string F(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);

    private double Gaussian(double sd) =>
        sd * Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private static double Km(double lat1, double lon1, double lat2, double lon2)
    {
        var dx = (lon2 - lon1) * 111.32 * Math.Cos(lat1 * Math.PI / 180);
        var dy = (lat2 - lat1) * 110.57;
        return Math.Sqrt(dx * dx + dy * dy);
    }

    private sealed record Held(string Code, int Level, bool Certified, int Months);

    private sealed record Ask(string Code, int MinLevel, bool Required);

    private sealed record Person(
        string Ref, double Lat, double Lon, string Gender, int Education, double Wage, string Wants, string[] Preferred,
        double Travel, Dictionary<string, Held> Skills);

    private sealed record Job(
        string Ref, string Sector, double Lat, double Lon, double WageMin, double WageMax, string Type, int MinEducation,
        Dictionary<string, Ask> Skills);
}
