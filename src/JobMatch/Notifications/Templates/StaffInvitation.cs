namespace JobMatch.Notifications.Templates;

/// <param name="OrganisationName">The inviting partner organisation (an agency, a provider, a membership body): not personal.</param>
/// <param name="ValidHours">How long the link works.</param>
internal sealed record StaffInvitationArgs(Guid InvitationId, string OrganisationName, int ValidHours);

/// <summary>
/// An invitation to join an organisation's staff: its name, how long the link works, and the link to set a password
/// (the one mail with a token: <see cref="EmailContext.OneTimeLink"/>, made when sending). The invitee has no account
/// yet, so unless the inviter gave their language it is written in English and then in Bangla.
/// </summary>
internal sealed class StaffInvitation : EmailTemplate<StaffInvitationArgs>
{
    public override string Name => "staff_invitation";

    public override RenderedEmail Render(StaffInvitationArgs args, EmailContext context)
    {
        var languages = context.LanguageKnown ? [context] : new[] { context.In("en"), context.In("bn") };
        var builder = context.Begin(string.Join(" / ", languages.Select(c => c["InvitationSubject"])));
        foreach (var c in languages)
        {
            builder.Paragraph(c["Greeting"])
                .Paragraph(c.Format("InvitationBody", args.OrganisationName))
                .Paragraph(c.Format("InvitationHowTo", args.ValidHours))
                .OneTimeButton(c["InvitationSetPassword"]);
        }
        return builder.Build("InvitationFooter");
    }
}

internal sealed record AccountExistsNoticeArgs(Guid InvitationId);

/// <summary>
/// Someone entered the address of an existing account in an invitation: the inviter is not told, the account is not
/// changed, and its holder hears only this, which names nobody and no organisation.
/// </summary>
internal sealed class AccountExistsNotice : EmailTemplate<AccountExistsNoticeArgs>
{
    public override string Name => "account_exists_notice";

    public override RenderedEmail Render(AccountExistsNoticeArgs args, EmailContext context) =>
        context.Begin(context["AccountExistsSubject"])
            .Paragraph(context["Greeting"])
            .Paragraph(context["AccountExistsBody"])
            .Paragraph(context["AccountExistsAction"])
            .Button(context["SignInToSee"], "/account/login")
            .Build();
}
