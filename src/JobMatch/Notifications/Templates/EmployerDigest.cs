namespace JobMatch.Notifications.Templates;

/// <summary>The employer's own vacancy and how many candidates were proposed since the last digest.</summary>
internal sealed record EmployerDigestArgs(Guid VacancyId, string VacancyTitle, int NewCandidates);

/// <summary>Tells an employer that a vacancy has new proposed candidates, with a link to its shortlist.</summary>
internal sealed class EmployerDigest : EmailTemplate<EmployerDigestArgs>
{
    public override string Name => "employer_digest";

    public override RenderedEmail Render(EmployerDigestArgs args, EmailContext context) =>
        context.Begin(context["DigestSubject"])
            .Paragraph(context["Greeting"])
            .Paragraph(context.Format(args.NewCandidates == 1 ? "DigestBodyOne" : "DigestBodyMany", args.NewCandidates.ToString("N0", context.Culture)))
            .Facts((context["Vacancy"], args.VacancyTitle), (context["NewCandidates"], args.NewCandidates.ToString("N0", context.Culture)))
            .Paragraph(context["DigestAnonymous"])
            .Button(context["OpenShortlist"], $"/employer/vacancies/{args.VacancyId}/shortlist")
            .Build();
}
