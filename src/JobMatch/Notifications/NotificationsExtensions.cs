using JobMatch.Database;
using Microsoft.Extensions.Options;

namespace JobMatch.Notifications;

internal static class NotificationsExtensions
{
    /// <summary>
    /// The outbox, its dispatcher and the mail transport: MailKit when <c>Smtp:Host</c> is set, otherwise .eml files
    /// in the data folder. SMTP settings are validated at start-up.
    /// </summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidation>();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section);
        if (Web.ReverseProxy.PublicBaseUrl(builder.Configuration) is { } publicBaseUrl)
        {
            services.PostConfigure<NotificationOptions>(o => o.PublicBaseUrl = publicBaseUrl);
        }

        var mailFolder = Path.Combine(DataDirectory.Resolve(builder.Configuration), "mail");
        services.AddSingleton(new MailFolder(mailFolder));
        if (builder.Configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>()?.Configured == true)
        {
            services.AddSingleton<IMailTransport, SmtpMailTransport>();
        }
        else
        {
            services.AddSingleton<IMailTransport, EmlFileMailTransport>();
        }

        services.AddSingleton<Seekers.ISeekerErasureHook, MailFileEraser>(); // erasure deletes the .eml files naming the seeker
        services.AddSingleton<MailComposer>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<FinishedMailPurge>();
        services.AddScoped<OutboxDispatcher>();
        services.AddScoped<OutboxFailures>();
        services.AddScoped<OutboxQueries>();
        // One resolver per recipient kind: the address and language are read when sending.
        services.AddKeyedSingleton<IRecipientResolver, UserRecipientResolver>(RecipientKinds.User);
        services.AddKeyedSingleton<IRecipientResolver, EmployerRecipientResolver>(RecipientKinds.Employer);
        services.AddKeyedSingleton<IRecipientResolver, SeekerRecipientResolver>(RecipientKinds.Seeker);
        services.AddKeyedSingleton<IDeliveryFailureFollowUp, SeekerDeliveryFailureFollowUp>(RecipientKinds.Seeker);
        services.AddSingleton<CaseWorkerAlerts>();
        services.AddSingleton<EmployerDigests>();
        services.AddHealthChecks().AddCheck<MailDeliveryHealthCheck>("mail", tags: [Web.Health.ReadyTag]);
        return builder;
    }
}
