namespace JobMatch.Notifications.Templates;

/// <summary>One of the employer's own vacancies and how many candidates became visible since the last digest.</summary>
internal sealed record DigestVacancy(long VacancyId, string? TitleEn, string? TitleBn, int NewCandidates)
{
    /// <summary>The title in the reader's language, else the other one (a vacancy has at least one).</summary>
    public string Title(string language) => (language == "bn" ? TitleBn ?? TitleEn : TitleEn ?? TitleBn) ?? "";
}

/// <summary>Every vacancy of one employer with new candidates, in one e-mail.</summary>
internal sealed record EmployerDigestArgs(IReadOnlyList<DigestVacancy> Vacancies);

/// <summary>Tells an employer which vacancies have new candidates, with a link to each shortlist.</summary>
internal sealed class EmployerDigest : EmailTemplate<EmployerDigestArgs>
{
    public override string Name => "employer_digest";

    public override RenderedEmail Render(EmployerDigestArgs args, EmailContext context)
    {
        if (args.Vacancies.Count == 0) throw new ArgumentException("A digest lists at least one vacancy.", nameof(args));
        var total = args.Vacancies.Sum(v => v.NewCandidates);
        var one = args.Vacancies.Count == 1;
        var email = context.Begin(context[one ? "DigestSubject" : "DigestSubjectMany"])
            .Paragraph(context["Greeting"])
            .Paragraph(one
                ? context.Format(total == 1 ? "DigestBodyOne" : "DigestBodyMany", total.ToString("N0", context.Culture))
                : context.Format("DigestBodyVacancies", total.ToString("N0", context.Culture), args.Vacancies.Count.ToString("N0", context.Culture)));
        foreach (var vacancy in args.Vacancies)
        {
            email.Facts((context["Vacancy"], vacancy.Title(context.Language)), (context["NewCandidates"], vacancy.NewCandidates.ToString("N0", context.Culture)))
                .Button(context["OpenShortlist"], $"/employer/vacancies/{vacancy.VacancyId}/shortlist");
        }
        return email.Paragraph(context["DigestAnonymous"]).Build();
    }
}
