namespace JobMatch.Notifications.Templates;

/// <summary>
/// A job offer: the employer's business name, the vacancy title in both languages (the reader's is chosen when
/// sending), the monthly wage (none for self-employment) and the workplace's upazila in both languages — all about
/// the employer and the job, nothing about the seeker.
/// </summary>
internal sealed record SeekerOfferArgs(long MatchId, string EmployerName, string VacancyTitle, int? MonthlyWageBdt, string PlaceEn, string PlaceBn,
    string? VacancyTitleBn = null);

/// <summary>Tells a job seeker about an offer and how to accept or decline it.</summary>
internal sealed class SeekerOffer : EmailTemplate<SeekerOfferArgs>
{
    public override string Name => "seeker_offer";

    public override RenderedEmail Render(SeekerOfferArgs args, EmailContext context)
    {
        var facts = new List<(string, string)>
        {
            (context["Employer"], args.EmployerName),
            (context["Vacancy"], context.Language == "bn" && !string.IsNullOrEmpty(args.VacancyTitleBn) ? args.VacancyTitleBn : args.VacancyTitle),
        };
        if (args.MonthlyWageBdt is { } wage) facts.Add((context["Wage"], context.Format("WagePerMonth", wage.ToString("N0", context.Culture))));
        facts.Add((context["Place"], context.Language == "bn" ? args.PlaceBn : args.PlaceEn));
        return context.Begin(context["OfferSubject"])
            .Paragraph(context["Greeting"])
            .Paragraph(context["OfferBody"])
            .Facts([.. facts])
            .Paragraph(context["OfferHowToAnswer"])
            .Button(context["OpenOffers"], "/me/offers")
            .Build();
    }
}
