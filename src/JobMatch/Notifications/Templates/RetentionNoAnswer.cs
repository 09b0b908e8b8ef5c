namespace JobMatch.Notifications.Templates;

/// <param name="SubjectReference">The seeker's pseudonymous reference (e.g. JS-7K3M9Q), never a name.</param>
internal sealed record RetentionNoAnswerArgs(long CheckinId, string SubjectReference, int Months);

/// <summary>Tells a case worker that an employer did not answer a check-in about someone on their caseload: neutral words only.</summary>
internal sealed class RetentionNoAnswer : EmailTemplate<RetentionNoAnswerArgs>
{
    public override string Name => "retention_no_answer";

    public override RenderedEmail Render(RetentionNoAnswerArgs args, EmailContext context) =>
        context.Begin(context["NoAnswerSubject"])
            .Paragraph(context["Greeting"])
            .Paragraph(context.Format("NoAnswerBody", args.SubjectReference, args.Months.ToString("N0", context.Culture)))
            .Paragraph(context["NoAnswerAction"])
            .Button(context["OpenCaseWork"], "/casework")
            .Build();
}
