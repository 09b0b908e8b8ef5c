namespace JobMatch.Benchmarks;

/// <summary>
/// The sizes of one run: the full world, a tenth of it (--quick), or a national-scale world (--scale, B8), and each
/// workload's bounds.
/// </summary>
internal sealed record BenchScale(
    string Name,
    int Seekers,
    int Vacancies,
    int CandidatesPerVacancy,
    int ImportRows,
    int PerRowInsertRows,
    int QueryVacancies,
    int WarmupQueries,
    TimeSpan NightlyBudget,
    int Emails,
    int HangfireJobs,
    int WebSeconds,
    int ScoringRepetitions,
    double ScoringMinSeconds,
    int Sms)
{
    /// <summary>100,000 seekers, 5,000 vacancies; 5,000 × 100 simulated outcomes, 80% of vacancies for training = 400,000 rows.</summary>
    public static readonly BenchScale Full = new("full", 100_000, 5_000, 100, 100_000, 2_000, 200, 20, TimeSpan.FromSeconds(20), 5_000, 300, 5, 5, 0.2, 5_000);

    /// <summary>
    /// B8 (--scale, not part of CI): a national world, 1,000,000 seekers and 20,000 vacancies by default. Only the first
    /// 2,000 vacancies get simulated history (100 candidates each, 200,000 outcomes: enough to train the served model;
    /// drawing candidates walks every seeker holding a vacancy's skills, 40 times the full world's work per vacancy);
    /// B2 is timed without the in-memory ceiling and the peers that score every eligible seeker (latency only), B4
    /// without the replayed comparison.
    /// </summary>
    public static BenchScale National(int seekers, int vacancies) =>
        new("national", seekers, vacancies, 100, 0, 0, 200, 20, TimeSpan.FromSeconds(20), 0, 0, 0, 0, 0, 0)
        {
            LatencyOnly = true,
            OutcomeVacancies = Math.Min(vacancies, 2_000),
        };

    public static readonly BenchScale Quick = new("quick", 10_000, 500, 100, 10_000, 500, 50, 10, TimeSpan.FromSeconds(3), 500, 50, 2, 3, 0.1, 300);

    /// <summary>B2 and B4 measure time only: no quality against an in-memory ceiling or replay (B8: too slow at 1,000,000 seekers).</summary>
    public bool LatencyOnly { get; init; }

    /// <summary>Vacancies with simulated history (null: all).</summary>
    public int? OutcomeVacancies { get; init; }

    /// <summary>Trainees whose skill records B1 imports: 2.5 records each.</summary>
    public int Trainees => (int)Math.Ceiling(ImportRows / 2.5);
}
