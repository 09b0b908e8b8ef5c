namespace JobMatch.Notifications.Templates;

/// <param name="CandidateReference">The per-vacancy handle the employer saw on the candidate card (e.g. C-7K3M9QX2); the name is kept so queued mail still renders.</param>
internal sealed record RetentionCheckinArgs(long CheckinId, int Months, string? VacancyTitleEn, string? VacancyTitleBn, string CandidateReference, DateOnly StartDate);

/// <summary>Asks an employer whether a person hired through JobMatch still works there (1, 3 and 6 months after the start).</summary>
internal sealed class RetentionCheckin : EmailTemplate<RetentionCheckinArgs>
{
    public override string Name => "retention_checkin";

    public override RenderedEmail Render(RetentionCheckinArgs args, EmailContext context)
    {
        var title = (context.Language == "bn" ? args.VacancyTitleBn ?? args.VacancyTitleEn : args.VacancyTitleEn ?? args.VacancyTitleBn) ?? "";
        return context.Begin(context["CheckinSubject"])
            .Paragraph(context["Greeting"])
            .Paragraph(context.Format("CheckinBody", args.Months))
            .Facts(
                (context["Vacancy"], title),
                (context["Candidate"], args.CandidateReference),
                (context["StartDate"], args.StartDate.ToString("d MMMM yyyy", context.Culture)))
            .Paragraph(context["CheckinWhy"])
            .Button(context["AnswerCheckin"], "/employer/checkins")
            .Build();
    }
}
