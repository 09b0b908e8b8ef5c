using JobMatch.Matching;
using JobMatch.Vacancies;

namespace JobMatch.BackgroundJobs;

/// <summary>Daily: creates the 1, 3 and 6 month check-ins of every hire (idempotent).</summary>
internal sealed class ScheduleRetentionCheckins(RetentionCheckins checkins, ILogger<ScheduleRetentionCheckins> logger) : IHangfireJob
{
    public async Task RunAsync(CancellationToken ct)
    {
        var created = await checkins.ScheduleAsync(ct);
        logger.LogInformation("Retention check-ins: {Created} scheduled", created);
    }
}

/// <summary>Daily: asks employers about due check-ins, then turns those unanswered for two weeks into 'no_answer' alerts.</summary>
internal sealed class SendRetentionCheckins(RetentionCheckins checkins, TimeProvider time, ILogger<SendRetentionCheckins> logger) : IHangfireJob
{
    public async Task RunAsync(CancellationToken ct)
    {
        var asked = await checkins.AskDueAsync(BoardClock.Today(time), ct);
        var unanswered = await checkins.CloseUnansweredAsync(ct);
        logger.LogInformation("Retention check-ins: {Asked} employers asked, {Unanswered} without answer passed to case workers", asked, unanswered);
    }
}

/// <summary>Daily: reminds seekers by SMS of unanswered offers whose answer code expires soon (once per offer).</summary>
internal sealed class RemindOffersBySms(Sms.SmsReminders reminders, ILogger<RemindOffersBySms> logger) : IHangfireJob
{
    public async Task RunAsync(CancellationToken ct)
    {
        var reminded = await reminders.RemindAsync(ct);
        logger.LogInformation("Offer reminders: {Reminded} SMS queued", reminded);
    }
}
