namespace Cossistant.Client;

/// <summary>
/// The names under which the client reports traces and metrics through <c>System.Diagnostics</c> (no OpenTelemetry
/// dependency): add them to your tracer and meter providers, e.g.
/// <c>.WithTracing(t => t.AddSource(CossistantDiagnostics.ActivitySourceName))</c> and
/// <c>.WithMetrics(m => m.AddMeter(CossistantDiagnostics.MeterName))</c>.
/// </summary>
/// <remarks>
/// <para>
/// Traces: one span per API operation (<c>Cossistant FetchWebsite</c>, <c>Cossistant FetchSupportState</c>,
/// <c>Cossistant UpdateOnboarding</c>, <c>Cossistant MutateFeatureFlags</c>, <c>Cossistant Identify</c>) covering
/// every retry, with the tags <c>cossistant.operation</c>, <c>http.request.method</c>, <c>http.route</c> (the route
/// template), <c>server.address</c>, <c>server.port</c>, <c>http.response.status_code</c>,
/// <c>cossistant.retry_count</c>, <c>cossistant.outcome</c> and, on failure, <c>error.type</c>. Keys never appear;
/// the visitor id only with <see cref="CossistantClientOptions.TraceVisitorIds"/>.
/// </para>
/// <para>
/// Metrics: <c>cossistant.client.requests</c> (by <c>cossistant.operation</c> and <c>cossistant.outcome</c>),
/// <c>cossistant.client.request.duration</c> (seconds, all attempts), <c>cossistant.client.retries</c>,
/// <c>cossistant.client.realtime.state_changes</c> (by <c>cossistant.realtime.status</c>),
/// <c>cossistant.client.realtime.reconnects</c>, <c>cossistant.client.realtime.events_applied</c>,
/// <c>cossistant.client.catch_up_fetches</c> (by <c>cossistant.outcome</c>) and the gauge
/// <c>cossistant.client.state.age</c> (seconds since the oldest state a session shows was confirmed by the server; a
/// connected socket confirms it continuously). Flag reads record nothing.
/// </para>
/// </remarks>
public static class CossistantDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name: <c>Cossistant.Client</c>.</summary>
    public const string ActivitySourceName = "Cossistant.Client";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name: <c>Cossistant.Client</c>.</summary>
    public const string MeterName = "Cossistant.Client";
}
