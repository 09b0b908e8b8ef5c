namespace JobMatch.Notifications.Templates;

/// <summary>
/// A job offer: the employer's business name, the vacancy, the monthly wage and the workplace's upazila in both
/// languages (all about the employer and the job, nothing about the seeker).
/// </summary>
internal sealed record SeekerOfferArgs(Guid OfferId, string EmployerName, string VacancyTitle, int MonthlyWageBdt, string PlaceEn, string PlaceBn);

/// <summary>Tells a job seeker about an offer and how to accept or decline it.</summary>
internal sealed class SeekerOffer : EmailTemplate<SeekerOfferArgs>
{
    public override string Name => "seeker_offer";

    public override RenderedEmail Render(SeekerOfferArgs args, EmailContext context) =>
        context.Begin(context["OfferSubject"])
            .Paragraph(context["Greeting"])
            .Paragraph(context["OfferBody"])
            .Facts(
                (context["Employer"], args.EmployerName),
                (context["Vacancy"], args.VacancyTitle),
                (context["Wage"], context.Format("WagePerMonth", args.MonthlyWageBdt.ToString("N0", context.Culture))),
                (context["Place"], context.Language == "bn" ? args.PlaceBn : args.PlaceEn))
            .Paragraph(context["OfferHowToAnswer"])
            .Button(context["OpenOffers"], "/me/offers")
            .Build();
}
