using System.Diagnostics;
using Cossistant.Client;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Quickstart;

/// <summary>
/// <c>--telemetry</c>: the client's spans and metrics through the OpenTelemetry SDK's console exporter. The client
/// reports through <c>System.Diagnostics</c> only; this is all an app adds to see them (or to send them anywhere
/// else with another exporter).
/// </summary>
internal sealed class Telemetry : IDisposable
{
    private static readonly ActivitySource StorySource = new("Quickstart");
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metrics;

    private Telemetry()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("Quickstart", CossistantDiagnostics.ActivitySourceName)
            .AddConsoleExporter()
            .Build();
        _metrics = Sdk.CreateMeterProviderBuilder()
            .AddMeter(CossistantDiagnostics.MeterName)
            .AddConsoleExporter()
            .Build();
    }

    /// <summary>Starts exporting when the switch is given; null otherwise.</summary>
    public static Telemetry? StartIf(string[] args) => args.Contains("--telemetry") ? new Telemetry() : null;

    /// <summary>The story's root span: every client span of the run is one trace under it.</summary>
    public static Activity? StartStory() => StorySource.StartActivity("Quickstart story");

    /// <summary>Exports the metrics collected so far (the console exporter prints them), then stops.</summary>
    public void Dispose()
    {
        _tracing.Dispose();
        _metrics.Dispose();
    }
}
