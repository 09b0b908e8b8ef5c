using System.Text.Json;

namespace JobMatch.Notifications.Templates;

/// <summary>A rendered e-mail: subject, plain text and HTML, in one language.</summary>
internal sealed record RenderedEmail(string Subject, string Text, string Html, string Language);

/// <summary>A template the dispatcher can render from the stored name and JSON arguments of an outbox row.</summary>
internal interface IEmailTemplate
{
    string Name { get; }

    RenderedEmail Render(string argsJson, EmailContext context);
}

/// <summary>
/// Templates are C# classes with a typed argument record and their words in <c>EmailText.resx</c> /
/// <c>EmailText.bn.resx</c>: the compiler checks the arguments, the translation test checks that every sentence
/// exists in Bangla, and no template engine is needed. Arguments are ids and non-personal values only.
/// </summary>
internal abstract class EmailTemplate<TArgs> : IEmailTemplate where TArgs : notnull
{
    public abstract string Name { get; }

    public RenderedEmail Render(string argsJson, EmailContext context)
    {
        var args = JsonSerializer.Deserialize<TArgs>(argsJson, Outbox.ArgsJson)
            ?? throw new JsonException($"Template {Name}: no arguments.");
        return Render(args, context);
    }

    public abstract RenderedEmail Render(TArgs args, EmailContext context);
}

/// <summary>Every template, by name: the one place a new template is added.</summary>
internal static class EmailTemplates
{
    public static readonly GenericNotification Generic = new();
    public static readonly EmployerDigest EmployerDigest = new();
    public static readonly SeekerOffer SeekerOffer = new();
    public static readonly DeliveryFailed DeliveryFailed = new();
    public static readonly RetentionCheckin RetentionCheckin = new();
    public static readonly RetentionNoAnswer RetentionNoAnswer = new();
    public static readonly StaffInvitation StaffInvitation = new();
    public static readonly AccountExistsNotice AccountExistsNotice = new();
    public static readonly LowWageHire LowWageHire = new();

    public static readonly IReadOnlyDictionary<string, IEmailTemplate> ByName =
        new IEmailTemplate[] { Generic, EmployerDigest, SeekerOffer, DeliveryFailed, RetentionCheckin, RetentionNoAnswer, StaffInvitation, AccountExistsNotice, LowWageHire }.ToDictionary(t => t.Name);
}
