using Microsoft.AspNetCore.Http.Features;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace JobMatch.Observability;

/// <summary>
/// OpenTelemetry: traces of requests (by route template, never the path with its references, never the query),
/// Npgsql commands (SQL text with placeholders, never parameter values) and Hangfire jobs; metrics of the same plus
/// JobMatch's own (<see cref="JobMatchMetrics"/>, <see cref="OutboxGauges"/>). Exported by OTLP when
/// <c>Telemetry:OtlpEndpoint</c> is set, and readable at <c>/metrics</c> (Prometheus text) by an operator.
/// </summary>
internal static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("jobmatch", serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing => tracing
                .AddSource(JobMatchMetrics.Name)
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.RecordException = false; // exception messages may quote what a user typed
                    o.EnrichWithHttpResponse = (activity, response) => ReplacePathWithRoute(activity, response.HttpContext);
                })
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(JobMatchMetrics.Name)
                .AddAspNetCoreInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());
        if (builder.Configuration["Telemetry:OtlpEndpoint"] is { Length: > 0 } endpoint)
        {
            otel.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf, new Uri(endpoint));
        }
        builder.Services.AddHostedService<OutboxGauges>();
        return builder;
    }

    /// <summary>The Prometheus scrape endpoint, for operators only (<see cref="Web.OperatorAccess"/>): 404 to anyone else.</summary>
    public static void MapTelemetry(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase), branch => branch.Use(async (context, next) =>
        {
            if (!await Web.OperatorAccess.IsOperatorAsync(context))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context);
        }));
        app.UseOpenTelemetryPrometheusScrapingEndpoint(MetricsPath);
    }

    /// <summary>
    /// <c>url.path</c> becomes the route template (<c>/api/casework/seekers/{reference}</c>): a path can hold a seeker's
    /// reference or a candidate handle, which a trace store must not collect. <c>url.query</c> is dropped outright.
    /// </summary>
    private static void ReplacePathWithRoute(System.Diagnostics.Activity activity, HttpContext context)
    {
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText
            ?? context.Features.Get<IEndpointFeature>()?.Endpoint?.DisplayName;
        activity.SetTag("url.path", route is null ? "(unrouted)" : "/" + route.TrimStart('/'));
        activity.SetTag("url.query", null);
        if (route is null) activity.DisplayName = context.Request.Method + " (unrouted)";
    }
}
