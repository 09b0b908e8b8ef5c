using JobMatch.Database;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace JobMatch.Sms;

internal static class SmsExtensions
{
    /// <summary>
    /// The SMS channel: Kannel when <c>Sms:Kannel:SendUrl</c> is set (through IHttpClientFactory, with a short retry
    /// for failures where the gateway certainly did not take the message), otherwise files in the data folder; the
    /// dispatcher, the answer-by-reply and delivery-report endpoints, and the gateway's health check.
    /// </summary>
    public static WebApplicationBuilder AddSms(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SmsOptions>().BindConfiguration(SmsOptions.Section);
        services.AddSingleton(new SmsFolder(Path.Combine(DataDirectory.Resolve(builder.Configuration), "sms")));
        AddTransport(services, builder.Configuration);
        services.AddSingleton<SmsTemplates>();
        services.AddSingleton<SeekerPhoneResolver>();
        services.AddSingleton<SmsAnswerCodes>();
        services.AddSingleton<SmsReplies>();
        services.AddScoped<SmsDispatcher>();
        services.AddScoped<SmsDeliveryReports>();
        services.AddSingleton<SmsReminders>();
        services.AddSingleton<Seekers.ISeekerErasureHook, SmsErasure>();
        services.AddHttpClient(SmsGatewayHealthCheck.SmsGatewayProbe).RemoveAllLoggers();
        services.AddHealthChecks().AddCheck<SmsGatewayHealthCheck>("sms", tags: [Web.Health.ReadyTag]);
        return builder;
    }

    /// <summary>The transport alone (also used by the <c>sms-send</c> command).</summary>
    public static void AddTransport(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetSection(SmsOptions.Section).Get<SmsOptions>()?.Kannel.Configured != true)
        {
            services.AddSingleton<ISmsTransport, FileSmsTransport>();
            return;
        }
        services.AddHttpClient(KannelSmsTransport.ClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .RemoveAllLoggers() // the URL carries the number and the text
            .AddResilienceHandler("kannel", pipeline => pipeline
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(200),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = args => ValueTask.FromResult(KannelSmsTransport.SafeToRetry(args.Outcome.Exception, args.Outcome.Result)),
                })
                .AddTimeout(TimeSpan.FromSeconds(10)));
        services.AddSingleton<ISmsTransport, KannelSmsTransport>();
    }
}
