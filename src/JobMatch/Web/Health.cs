using Dapper;
using JobMatch.Database;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace JobMatch.Web;

/// <summary>
/// <c>/health/live</c>: the process answers (never touches the database, so it keeps answering when the database is
/// down). <c>/health/ready</c>: the database answers, every migration this build carries is applied and the key opens
/// the data keys; other features add checks tagged "ready" (a degraded check still answers 200, an unhealthy one 503).
/// Anyone sees each part's status (a load balancer needs no more); an operator (<see cref="OperatorAccess"/>) also
/// sees what each part reports and, for a part that is not healthy, what to do (<see cref="HealthAdvice"/>).
/// </summary>
internal static class Health
{
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [ReadyTag])
            // Registered here rather than by AddDatabase: Database is below Web and does not know the "ready" tag.
            .AddCheck<DurabilityHealthCheck>("durability", tags: [ReadyTag]);
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

    private static async Task WriteStatusAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        if (!await OperatorAccess.IsOperatorAsync(context))
        {
            await context.Response.WriteAsJsonAsync(new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString() }),
            });
            return;
        }
        await context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).ToList(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                action = e.Value.Status == HealthStatus.Healthy ? null : HealthAdvice.For(e.Key),
            }),
        });
    }

    private sealed class DatabaseHealthCheck(NpgsqlDataSource db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(cancellationToken);
                await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
                return HealthCheckResult.Healthy($"PostgreSQL answers ({connection.Host}:{connection.Port}, database {connection.Database})");
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy("database unreachable: " + ex.Message);
            }
        }
    }

    private sealed class MigrationsHealthCheck(NpgsqlDataSource db) : IHealthCheck
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
                return HealthCheckResult.Unhealthy("not checked: the database is unreachable");
            }
        }
    }
}
