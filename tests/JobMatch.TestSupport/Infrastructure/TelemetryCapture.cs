using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace JobMatch.Tests.Infrastructure;

/// <summary>
/// Every span and metric an app host exports, captured in memory, and flattened to the strings a trace or metrics
/// store would keep (span names, tag keys and values, event names, status text; metric names and label values).
/// </summary>
internal sealed class TelemetryCapture
{
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];

    public void Configure(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(_spans));
        services.ConfigureOpenTelemetryMeterProvider(b => b.AddInMemoryExporter(_metrics));
    }

    public void Flush(IServiceProvider services)
    {
        services.GetRequiredService<TracerProvider>().ForceFlush();
        services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    public IReadOnlyList<Activity> Spans { get { lock (_spans) return [.. _spans]; } }

    public IReadOnlyList<string> MetricNames { get { lock (_metrics) return _metrics.Select(m => m.Name).Distinct().ToList(); } }

    public List<string> Texts()
    {
        var texts = new List<string>();
        foreach (var span in Spans)
        {
            texts.Add(span.DisplayName);
            texts.Add(span.OperationName);
            texts.Add(span.StatusDescription ?? "");
            texts.AddRange(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            foreach (var e in span.Events) texts.AddRange([e.Name, .. e.Tags.Select(t => $"{t.Key}={t.Value}")]);
        }
        lock (_metrics)
        {
            foreach (var metric in _metrics)
            {
                texts.Add(metric.Name);
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    foreach (var tag in point.Tags) texts.Add($"{tag.Key}={tag.Value}");
                }
            }
        }
        return texts;
    }
}
