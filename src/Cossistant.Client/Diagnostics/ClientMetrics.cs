using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Cossistant.Client.Sessions;

namespace Cossistant.Client.Diagnostics;

/// <summary>
/// The client's instruments on one <see cref="Meter"/> (created once per meter, shared by the runtimes on it). The
/// state-age gauge reads the runtimes attached to it when a listener collects.
/// </summary>
internal sealed class ClientMetrics
{
    public const string OperationTag = "cossistant.operation";
    public const string OutcomeTag = "cossistant.outcome";
    public const string StatusCodeTag = "http.response.status_code";
    public const string RealtimeStatusTag = "cossistant.realtime.status";

    /// <summary>Seconds, as OpenTelemetry's HTTP client duration advises (exporters default to millisecond-sized buckets).</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private static readonly ConditionalWeakTable<Meter, ClientMetrics> ByMeter = new();
    private readonly ConcurrentDictionary<CossistantRuntime, bool> _runtimes = new();
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _realtimeStateChanges;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _eventsApplied;
    private readonly Counter<long> _catchUpFetches;

    private ClientMetrics(Meter meter)
    {
        _requests = meter.CreateCounter<long>(
            "cossistant.client.requests", "{request}", "REST operations, by operation and outcome (once per call, whatever its retries).");
        _requestDuration = meter.CreateHistogram(
            "cossistant.client.request.duration",
            "s",
            "How long REST operations took, retries and their delays included.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _retries = meter.CreateCounter<long>("cossistant.client.retries", "{retry}", "REST attempts repeated after a transient failure.");
        _realtimeStateChanges = meter.CreateCounter<long>(
            "cossistant.client.realtime.state_changes", "{change}", "Realtime connection state changes, by the new status.");
        _reconnects = meter.CreateCounter<long>("cossistant.client.realtime.reconnects", "{reconnect}", "Realtime reconnections scheduled after a lost or refused connection.");
        _eventsApplied = meter.CreateCounter<long>(
            "cossistant.client.realtime.events_applied", "{event}", "Support-state events from the socket applied to a session.");
        _catchUpFetches = meter.CreateCounter<long>(
            "cossistant.client.catch_up_fetches", "{fetch}", "Refetches that settle a session after a reconnection or a write of unknown outcome.");
        meter.CreateObservableGauge(
            "cossistant.client.state.age",
            ObserveStateAge,
            "s",
            "Seconds since the oldest support state a session shows was confirmed by the server (0 while a connected socket keeps it current).");
    }

    /// <summary>The instruments on <paramref name="meter"/>, created on first use.</summary>
    public static ClientMetrics For(Meter meter) => ByMeter.GetValue(meter, static created => new ClientMetrics(created));

    public void Attach(CossistantRuntime runtime) => _runtimes[runtime] = true;

    public void Detach(CossistantRuntime runtime) => _runtimes.TryRemove(runtime, out _);

    public void RecordRequest(string operation, string outcome, int? statusCode, int retries, double seconds)
    {
        var tags = new TagList { { OperationTag, operation }, { OutcomeTag, outcome } };
        if (statusCode is { } status)
        {
            tags.Add(StatusCodeTag, status);
        }

        _requests.Add(1, tags);
        _requestDuration.Record(seconds, tags);
        if (retries > 0)
        {
            _retries.Add(retries, new KeyValuePair<string, object?>(OperationTag, operation));
        }
    }

    public void RecordRealtimeState(RealtimeConnectionStatus status) =>
        _realtimeStateChanges.Add(1, new KeyValuePair<string, object?>(RealtimeStatusTag, StatusName(status)));

    /// <summary>A reconnection scheduled (after a lost connection or a failed attempt).</summary>
    public void RecordReconnect() => _reconnects.Add(1);

    public void RecordEventApplied() => _eventsApplied.Add(1);

    public void RecordCatchUpFetch(bool succeeded) =>
        _catchUpFetches.Add(1, new KeyValuePair<string, object?>(OutcomeTag, succeeded ? "success" : "error"));

    /// <summary>The lower-case wire name of a status (<c>connected</c>, <c>reconnecting</c>...).</summary>
    public static string StatusName(RealtimeConnectionStatus status) => status switch
    {
        RealtimeConnectionStatus.Connecting => "connecting",
        RealtimeConnectionStatus.Connected => "connected",
        RealtimeConnectionStatus.Reconnecting => "reconnecting",
        _ => "disconnected",
    };

    private IEnumerable<Measurement<double>> ObserveStateAge()
    {
        TimeSpan? oldest = null;
        foreach (var runtime in _runtimes.Keys)
        {
            if (runtime.Cache.OldestWatchedStateAge() is { } age && (oldest is null || age > oldest))
            {
                oldest = age;
            }
        }

        return oldest is { } value ? [new Measurement<double>(value.TotalSeconds)] : [];
    }
}
