namespace JobMatch.Vacancies;

/// <summary>
/// Closing dates are Bangladesh calendar dates: a vacancy closing on the 10th is open until midnight in Cox's Bazar.
/// Bangladesh keeps UTC+6 all year (no daylight saving), so a fixed offset is exact.
/// </summary>
internal static class BoardClock
{
    public static readonly TimeSpan BangladeshOffset = TimeSpan.FromHours(6);

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(BangladeshOffset).DateTime);
}
