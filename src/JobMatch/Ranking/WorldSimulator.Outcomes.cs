namespace JobMatch.Ranking;

/// <summary>The simulator's proposals and hiring: who is put forward for a vacancy and what becomes of them.</summary>
internal sealed partial class WorldSimulator
{
    /// <summary>
    /// Like real proposals: half hold one of the asked skills (what a skill-overlap search finds), a
    /// fifth work in the sector, the rest are anyone.
    /// </summary>
    private List<WorldSeeker> PickCandidates(
        WorldVacancy vacancy,
        List<WorldSeeker> seekers,
        Dictionary<string, List<WorldSeeker>> bySkill,
        Dictionary<string, List<WorldSeeker>> bySector)
    {
        var count = Math.Min(options.Candidates, seekers.Count);
        var chosen = new List<WorldSeeker>(count);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var holders = vacancy.Profile.Skills.SelectMany(a => bySkill.GetValueOrDefault(a.Code, [])).DistinctBy(s => s.SeekerRef).ToList();
        Draw(holders, (int)Math.Round(count * 0.5));
        Draw(bySector.GetValueOrDefault(vacancy.Profile.Sector, []), (int)Math.Round(count * 0.7));
        Draw(seekers, count);
        return chosen;

        void Draw(List<WorldSeeker> pool, int upTo)
        {
            for (var tries = 0; chosen.Count < upTo && pool.Count > 0 && tries < upTo * 20; tries++)
            {
                var s = pool[_random.Next(pool.Count)];
                if (taken.Add(s.SeekerRef))
                {
                    chosen.Add(s);
                }
            }
        }
    }

    private static Dictionary<string, List<WorldSeeker>> Index(List<WorldSeeker> seekers, Func<WorldSeeker, IEnumerable<string>> keys)
    {
        var index = new Dictionary<string, List<WorldSeeker>>(StringComparer.Ordinal);
        foreach (var seeker in seekers)
        {
            foreach (var key in keys(seeker).Distinct())
            {
                if (!index.TryGetValue(key, out var list))
                {
                    list = [];
                    index[key] = list;
                }

                list.Add(seeker);
            }
        }

        return index;
    }

    /// <summary>
    /// The employer goes down the list by (noisy) utility: the best few are hired (up to the openings),
    /// the next interviewed, the next shortlisted, each only above a bar, so a weak pool hires no one.
    /// Anyone offered something may decline, more often when the job fits them badly.
    /// </summary>
    private IEnumerable<WorldOutcome> Decide(WorldVacancy vacancy, List<WorldSeeker> candidates, Dictionary<string, double> latent)
    {
        var ranked = candidates
            .Select(s => (Seeker: s, Utility: SimulatedUtility.Of(s.Profile, vacancy.Profile) + latent[s.SeekerRef] + Gaussian(0, 0.5)))
            .OrderByDescending(c => c.Utility)
            .ToList();
        int hired = 0, interviewed = 0, shortlisted = 0;
        foreach (var (seeker, utility) in ranked)
        {
            var declines = _random.NextDouble() < SimulatedUtility.DeclineProbability(seeker.Profile, vacancy.Profile);
            CandidateOutcome outcome;
            if (utility > 1.1 && hired < vacancy.Openings)
            {
                outcome = declines ? CandidateOutcome.Declined : CandidateOutcome.Hired;
                hired += declines ? 0 : 1;
            }
            else if (utility > 0.3 && interviewed < 2 * vacancy.Openings)
            {
                outcome = declines ? CandidateOutcome.Declined : CandidateOutcome.Interviewed;
                interviewed += declines ? 0 : 1;
            }
            else if (utility > -0.6 && shortlisted < 4)
            {
                outcome = declines ? CandidateOutcome.Declined : CandidateOutcome.Shortlisted;
                shortlisted += declines ? 0 : 1;
            }
            else
            {
                outcome = CandidateOutcome.NotSelected;
            }

            yield return new WorldOutcome(vacancy.VacancyRef, seeker.SeekerRef, outcome);
        }
    }
}
