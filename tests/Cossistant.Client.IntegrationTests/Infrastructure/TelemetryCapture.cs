using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cossistant.Client.IntegrationTests.Infrastructure;

/// <summary>One recorded measurement: instrument, value and tags.</summary>
internal sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? Tag(string name) => Tags.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// Listens to the client's spans of one trace (started by <see cref="StartRoot"/>) and to the instruments of the
/// meters one <see cref="IMeterFactory"/> created, so parallel tests never see each other's telemetry. Waits are
/// driven by the recorded events.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private const string TestSourceName = "Cossistant.Client.IntegrationTests";
    private static readonly ActivitySource TestSource = new(TestSourceName);
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<Measured> _measurements = new();
    private readonly object _gate = new();
    private readonly List<(Func<Measured, bool> Match, TaskCompletionSource<Measured> Done)> _waiters = [];
    private ActivityTraceId _traceId;

    public TelemetryCapture(IMeterFactory? meterFactory = null)
    {
        _activities = new ActivityListener
        {
            // By name: a static source created while the listener is being added would be missed by reference.
            ShouldListenTo = source => source.Name is CossistantDiagnostics.ActivitySourceName or TestSourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == CossistantDiagnostics.ActivitySourceName && activity.TraceId == _traceId)
                {
                    _spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);

        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (meterFactory is not null && ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Meter.Name == CossistantDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
    }

    /// <summary>The client's finished spans of this test's trace.</summary>
    public IReadOnlyList<Activity> Spans => [.. _spans];

    public IReadOnlyList<Measured> Measurements => [.. _measurements];

    /// <summary>Starts the test's root span: the client's spans under it are captured.</summary>
    public Activity StartRoot()
    {
        var root = TestSource.StartActivity("test") ?? throw new InvalidOperationException("The test source is not listened to.");
        _traceId = root.TraceId;
        return root;
    }

    /// <summary>The sum of an instrument's measurements whose tags include every given pair.</summary>
    public double Sum(string instrument, params (string Name, object? Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(tag => Equals(m.Tag(tag.Name), tag.Value))).Sum(m => m.Value);

    /// <summary>Collects the observable instruments (the state-age gauge) now.</summary>
    public void Collect() => _meters.RecordObservableInstruments();

    /// <summary>Waits for the first measurement (already recorded or to come) that matches.</summary>
    public Task<Measured> WhenMeasuredAsync(Func<Measured, bool> match, string what, int timeoutMs = 15_000)
    {
        var done = new TaskCompletionSource<Measured>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_measurements.FirstOrDefault(match) is { } already)
            {
                return Task.FromResult(already);
            }

            _waiters.Add((match, done));
        }

        return WaitAsync(done.Task, what, timeoutMs);
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    private static async Task<Measured> WaitAsync(Task<Measured> task, string what, int timeoutMs)
    {
        try
        {
            return await task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No measurement of {what} within {timeoutMs} ms.");
            throw;
        }
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value;
        }

        var measured = new Measured(instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), map);
        lock (_gate)
        {
            _measurements.Enqueue(measured);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(measured))
                {
                    _waiters[i].Done.TrySetResult(measured);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
