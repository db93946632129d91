using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Cossistant.Client.Diagnostics;
using Cossistant.Client.Errors;
using Cossistant.Client.Threading;
using Microsoft.Extensions.Logging;
using Websocket.Client;

namespace Cossistant.Client.Realtime;

/// <summary>
/// The realtime socket of one client: connects with header credentials, parses frames, sends the heartbeat,
/// detects a dead connection, and reconnects with jittered backoff — except after a credentials failure
/// (close 1008/1011 or an authentication error frame), which stops it until <see cref="Restart"/>. Never throws
/// at its owner: every outcome is reported through <see cref="State"/> and the callbacks.
/// </summary>
internal sealed partial class RealtimeConnection : IAsyncDisposable
{
    private readonly CossistantClientOptions _options;
    private readonly CossistantRealtimeOptions _realtime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReconnectBackoff _backoff;
    private readonly Action<RealtimeFrame> _onFrame;
    private readonly Action _onConnected;
    private readonly SecretScrubber _scrubber;
    private readonly ClientMetrics _metrics;
    /// <summary>The longest <c>Retry-After</c> a refused upgrade may impose.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private CancellationTokenSource? _run;
    private Task _loop = Task.CompletedTask;
    private RealtimeConnectionState _state;

    public RealtimeConnection(
        CossistantClientOptions options,
        ILogger logger,
        Action<RealtimeFrame> onFrame,
        Action onConnected,
        Action<RealtimeConnectionStateChangedEventArgs> onStateChanged,
        ClientMetrics metrics,
        Func<double>? random = null)
    {
        _metrics = metrics;
        _options = options;
        _realtime = options.Realtime;
        _time = options.TimeProvider;
        _logger = logger;
        _onFrame = onFrame;
        _onConnected = onConnected;
        _scrubber = new SecretScrubber(options.Secrets());
        _backoff = new ReconnectBackoff(_realtime.ReconnectBaseDelay, _realtime.ReconnectMaxDelay, random ?? Random.Shared.NextDouble);
        _state = new RealtimeConnectionState(RealtimeConnectionStatus.Disconnected, _time.GetUtcNow(), null, false, null, 0, null);
        Feed = new ChangeFeed<RealtimeConnectionStateChangedEventArgs, RealtimeConnectionState>(
            _state, static change => change.Current, onStateChanged, exception => LogHandlerFailed(logger, exception));
    }

    /// <summary>Every state change, in order.</summary>
    public ChangeFeed<RealtimeConnectionStateChangedEventArgs, RealtimeConnectionState> Feed { get; }

    public RealtimeConnectionState State => Volatile.Read(ref _state);

    /// <summary>Whether the loop runs (connecting, connected or waiting to reconnect).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _run is not null && !_loop.IsCompleted;
            }
        }
    }

    /// <summary>
    /// Starts the loop for a visitor unless it already runs. The state becomes Connecting at once, so a waiter never
    /// mistakes the previous run's end (e.g. a permanent failure) for this run's outcome.
    /// </summary>
    public void Start(string? visitorId)
    {
        lock (_gate)
        {
            if (_run is not null && !_loop.IsCompleted)
            {
                return;
            }

            _run?.Dispose();
            _run = new CancellationTokenSource();
            var token = _run.Token;
            SetState(RealtimeConnectionStatus.Connecting, null, false, null, 0, null);
            _loop = Task.Run(() => RunAsync(visitorId, token), CancellationToken.None);
        }

        Feed.Drain();
    }

    /// <summary>Stops the loop, closes the socket cleanly and waits for it.</summary>
    public async Task StopAsync()
    {
        Task loop;
        lock (_gate)
        {
            _run?.Cancel();
            loop = _loop;
        }

        await loop.ConfigureAwait(false);
    }

    /// <summary>Stops, then starts again (also after a permanent failure).</summary>
    public async Task Restart(string? visitorId)
    {
        await StopAsync().ConfigureAwait(false);
        Start(visitorId);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _run?.Dispose();
            _run = null;
        }
    }

    private async Task RunAsync(string? visitorId, CancellationToken stop)
    {
        var failures = 0;
        var connectedBefore = false;
        try
        {
            while (true)
            {
                stop.ThrowIfCancellationRequested();
                if (connectedBefore || failures > 0)
                {
                    Publish(RealtimeConnectionStatus.Reconnecting, State.LastError, false, null, failures, null);
                }
                var end = await RunSessionAsync(visitorId, stop).ConfigureAwait(false);
                connectedBefore |= end.WasConnected;
                failures = end.WasConnected ? 0 : failures + 1;
                if (end.IsPermanent)
                {
                    LogPermanentFailure(_logger, end.Error?.Message ?? "closed");
                    Publish(RealtimeConnectionStatus.Disconnected, end.Error, true, null, failures, null);
                    return;
                }

                var delay = end.RetryAfter is { } retryAfter ? Min(retryAfter, MaxRetryAfter) : _backoff.Next(Math.Max(0, failures - 1));
                LogReconnecting(_logger, delay, end.Error?.Message);
                _metrics.RecordReconnect();
                Publish(RealtimeConnectionStatus.Reconnecting, end.Error, false, null, failures, _time.GetUtcNow() + delay);
                await Timing.Delay(_time, delay, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Publish(RealtimeConnectionStatus.Disconnected, null, false, null, 0, null);
        }
        catch (Exception exception)
        {
            // A bug of ours must not kill the app: report it like any other failure.
            LogLoopFailed(_logger, exception);
            Publish(RealtimeConnectionStatus.Disconnected, exception, false, null, failures, null);
        }
    }

    private void Publish(
        RealtimeConnectionStatus status, Exception? error, bool permanent, string? connectionId, int failures, DateTimeOffset? next)
    {
        lock (_gate)
        {
            SetState(status, error, permanent, connectionId, failures, next);
        }

        Feed.Drain();
    }

    /// <summary>Replaces the state and queues its announcement. Called under the lock; drain after releasing it.</summary>
    private void SetState(
        RealtimeConnectionStatus status, Exception? error, bool permanent, string? connectionId, int failures, DateTimeOffset? next)
    {
        var previous = _state;
        var since = previous.Status == status ? previous.Since : _time.GetUtcNow();
        var current = new RealtimeConnectionState(status, since, error, permanent, connectionId, failures, next);
        Volatile.Write(ref _state, current);
        if (previous.Status != status)
        {
            _metrics.RecordRealtimeState(status);
        }

        Feed.Enqueue(new RealtimeConnectionStateChangedEventArgs(previous, current));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>How one connection ended.</summary>
    private sealed record SessionEnd(bool WasConnected, bool IsPermanent, Exception? Error, TimeSpan? RetryAfter = null);
}
