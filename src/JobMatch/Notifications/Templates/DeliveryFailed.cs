namespace JobMatch.Notifications.Templates;

/// <param name="FailedNotificationId">The outbox message that could not be delivered.</param>
/// <param name="SubjectReference">The seeker's pseudonymous reference (e.g. JS-7K3M9Q), never a name.</param>
internal sealed record DeliveryFailedArgs(Guid FailedNotificationId, string SubjectReference);

/// <summary>Tells a case worker that an e-mail to someone on their caseload could not be delivered.</summary>
internal sealed class DeliveryFailed : EmailTemplate<DeliveryFailedArgs>
{
    public override string Name => "delivery_failed";

    public override RenderedEmail Render(DeliveryFailedArgs args, EmailContext context) =>
        context.Begin(context["FailedSubject"])
            .Paragraph(context["Greeting"])
            .Paragraph(context.Format("FailedBody", args.SubjectReference))
            .Paragraph(context["FailedAction"])
            .Button(context["OpenCaseWork"], "/casework")
            .Build();
}
