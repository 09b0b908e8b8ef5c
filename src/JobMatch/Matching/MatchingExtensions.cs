using JobMatch.Web;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JobMatch.Matching;

internal static class MatchingExtensions
{
    public static WebApplicationBuilder AddMatching(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MatchingOptions>().BindConfiguration(MatchingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RankerProvider>();
        builder.Services.AddSingleton<SkillCatalog>();
        builder.Services.AddSingleton<CandidateQueries>();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddScoped<MatchProposer>();
        builder.Services.AddScoped<NightlyRematch>();
        builder.Services.AddScoped<MatchTransitions>();
        builder.Services.AddScoped<OutcomeExamples>();
        builder.Services.AddSingleton<OfferNotifications>();
        builder.Services.AddSingleton<RetentionCheckins>();
        builder.Services.AddHealthChecks().AddCheck<RankingHealthCheck>("ranking", tags: [Health.ReadyTag]);
        return builder;
    }

    /// <summary>Ready, but degraded, when a model is active yet cannot be loaded and the rule ranker stands in.</summary>
    private sealed class RankingHealthCheck(RankerProvider rankers) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var serving = await rankers.CurrentAsync(cancellationToken);
                return serving.Degraded ? HealthCheckResult.Degraded(serving.Description) : HealthCheckResult.Healthy(serving.Description);
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("ranking model registry unreachable");
            }
        }
    }
}
