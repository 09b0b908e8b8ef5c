namespace JobMatch.Ranking;

/// <summary>
/// The simulator's hidden truth: how good a (seeker, vacancy) pair really is, and how likely the
/// seeker is to say no. Deliberately not the rule ranker's formula (cliffs, asymmetries, interactions),
/// so a model has something to learn; gender, age and the like do not appear.
/// </summary>
internal static class SimulatedUtility
{
    public static double Of(SeekerRankingProfile seeker, VacancyProfile vacancy)
    {
        var held = seeker.Skills.GroupBy(s => s.Code).ToDictionary(g => g.Key, g => g.MaxBy(s => s.Level)!, StringComparer.Ordinal);
        double requiredScore = 0, niceScore = 0;
        int required = 0, nice = 0, heldAsked = 0, certified = 0;
        double months = 0;
        foreach (var ask in vacancy.Skills)
        {
            held.TryGetValue(ask.Code, out var skill);
            if (skill is not null)
            {
                heldAsked++;
                certified += skill.Certified ? 1 : 0;
                months += skill.MonthsExperience;
            }

            if (ask.Required)
            {
                required++;
                requiredScore += skill is null ? -1.0
                    : skill.Level >= ask.MinLevel ? 1.0 + 0.2 * (skill.Level - ask.MinLevel)
                    : 0.5 * skill.Level / ask.MinLevel - 0.3;
            }
            else
            {
                nice++;
                niceScore += skill is null ? 0 : Math.Min(1.0, (double)skill.Level / ask.MinLevel);
            }
        }

        var u = 0.0;
        u += required == 0 ? 1.0 : 2.5 * requiredScore / required;
        u += nice == 0 ? 0 : 0.5 * niceScore / nice;
        // Certificates matter more to employers when the seeker holds the skills at all.
        u += heldAsked == 0 ? 0 : 0.6 * certified / heldAsked * Math.Min(1, heldAsked / 2.0);
        u += 0.3 * Math.Min(1, Math.Log(1 + months) / Math.Log(61));

        var km = Km(seeker, vacancy);
        var travel = seeker.MaxTravelKm ?? 15;
        u += km <= travel ? -0.6 * km / travel : -2.1 - 0.04 * (km - travel);

        var gap = RankingFeatures.WageGap(seeker.ExpectedWageBdt, vacancy.WageMinBdt, vacancy.WageMaxBdt);
        u += gap < 0 ? Math.Max(-1.5, 2.5 * gap) : 0.2 * Math.Min(gap, 0.5);

        if (seeker.Wants != WorkKind.Any && seeker.Wants != vacancy.EmploymentType)
        {
            u -= 1.2;
        }

        if (seeker.PreferredSectors.Count > 0)
        {
            u += seeker.PreferredSectors.Contains(vacancy.Sector) ? 0.4 : -0.2;
        }

        var education = seeker.EducationLevel - vacancy.MinEducationLevel;
        u += education < 0 ? 0.7 * education : 0.1 * Math.Min(2, education);
        return u;
    }

    /// <summary>Seekers turn down offers more often when the wage, kind of work or journey is wrong.</summary>
    public static double DeclineProbability(SeekerRankingProfile seeker, VacancyProfile vacancy)
    {
        var misfit = 0.0;
        misfit += Math.Max(0, -RankingFeatures.WageGap(seeker.ExpectedWageBdt, vacancy.WageMinBdt, vacancy.WageMaxBdt)) * 3;
        misfit += seeker.Wants != WorkKind.Any && seeker.Wants != vacancy.EmploymentType ? 1.5 : 0;
        misfit += Km(seeker, vacancy) > (seeker.MaxTravelKm ?? 15) ? 1.5 : 0;
        return 1 / (1 + Math.Exp(2.2 - 1.5 * misfit));
    }

    private static double Km(SeekerRankingProfile s, VacancyProfile v) =>
        s is { Lat: { } a, Lon: { } b } && v is { Lat: { } c, Lon: { } d } ? RankingFeatures.HaversineKm(a, b, c, d) : 0;
}
