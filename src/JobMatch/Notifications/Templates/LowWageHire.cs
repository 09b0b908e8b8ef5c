namespace JobMatch.Notifications.Templates;

/// <param name="SubjectReference">The seeker's pseudonymous reference (e.g. JS-7K3M9Q), never a name.</param>
internal sealed record LowWageHireArgs(long MatchId, string SubjectReference);

/// <summary>
/// Tells a case worker that an employer recorded a hire of someone on their caseload at a wage below the sector's
/// minimum or far below what the vacancy advertised, and confirmed it: neutral words, no wage, no employer.
/// </summary>
internal sealed class LowWageHire : EmailTemplate<LowWageHireArgs>
{
    public override string Name => "low_wage_hire";

    public override RenderedEmail Render(LowWageHireArgs args, EmailContext context) =>
        context.Begin(context["LowWageSubject"])
            .Paragraph(context["Greeting"])
            .Paragraph(context.Format("LowWageBody", args.SubjectReference))
            .Paragraph(context["LowWageAction"])
            .Button(context["OpenCaseWork"], "/casework")
            .Build();
}
