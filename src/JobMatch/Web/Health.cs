using Dapper;
using JobMatch.Database;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace JobMatch.Web;

/// <summary>
/// <c>/health/live</c>: the process answers (never touches the database, so it keeps answering when the database is
/// down). <c>/health/ready</c>: the database answers and every migration this build carries is applied; other
/// features add checks tagged "ready" (a degraded check still answers 200, an unhealthy one 503).
/// </summary>
internal static class Health
{
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return builder;
    }

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new()
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteStatusAsync,
        }).AllowAnonymous();
    }

    private static Task WriteStatusAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }

    private sealed class DatabaseHealthCheck(NpgsqlDataSource db) : IHealthCheck
    {
        private static readonly int ExpectedScripts = DatabaseMigrator.EmbeddedScripts().Count;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(cancellationToken);
                var applied = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                    "SELECT count(*) FROM schemaversions", cancellationToken: cancellationToken));
                return applied >= ExpectedScripts
                    ? HealthCheckResult.Healthy($"{applied} migrations applied")
                    : HealthCheckResult.Unhealthy($"{applied} of {ExpectedScripts} migrations applied");
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy("database unreachable");
            }
        }
    }
}
