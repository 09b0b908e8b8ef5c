namespace JobMatch.Notifications.Templates;

/// <param name="Path">The page the notification is about, e.g. <c>/me/offers</c>; sign-in needed, no query string.</param>
internal sealed record GenericNotificationArgs(string Path = "/");

/// <summary>"You have a new notification": says nothing about what it is, so it is safe on any shared phone.</summary>
internal sealed class GenericNotification : EmailTemplate<GenericNotificationArgs>
{
    public override string Name => "generic_notification";

    public override RenderedEmail Render(GenericNotificationArgs args, EmailContext context) =>
        context.Begin(context["GenericSubject"])
            .Paragraph(context["Greeting"])
            .Paragraph(context["GenericBody"])
            .Button(context["SignInToSee"], args.Path)
            .Build();
}
