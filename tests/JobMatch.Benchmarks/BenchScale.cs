namespace JobMatch.Benchmarks;

/// <summary>The sizes of one run: the full world or a tenth of it (--quick), and each workload's bounds.</summary>
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

    public static readonly BenchScale Quick = new("quick", 10_000, 500, 100, 10_000, 500, 50, 10, TimeSpan.FromSeconds(3), 500, 50, 2, 3, 0.1, 300);

    /// <summary>Trainees whose skill records B1 imports: 2.5 records each.</summary>
    public int Trainees => (int)Math.Ceiling(ImportRows / 2.5);
}
