using Cossistant.Client.Realtime;

namespace Cossistant.Client;

public sealed partial class CossistantSession
{
    private RealtimeConnection? _realtime;
    private int _socketCounted;

    /// <summary>
    /// Raised when this session's realtime connection state changes (connecting, connected, reconnecting,
    /// disconnected), in order, on a background thread.
    /// </summary>
    public event EventHandler<RealtimeConnectionStateChangedEventArgs>? RealtimeConnectionStateChanged;

    /// <summary>
    /// The realtime connection state: status, since when, last error, whether the failure is permanent. A session
    /// opens no socket unless asked (<see cref="ConnectRealtimeAsync"/>): on a server, the factory's cache keeps
    /// sessions fresh instead.
    /// </summary>
    public RealtimeConnectionState RealtimeConnectionState => Volatile.Read(ref _realtime)?.State ?? _runtime.NeverConnected;

    private RealtimeConnection Realtime
    {
        get
        {
            var connection = Volatile.Read(ref _realtime);
            if (connection is not null)
            {
                return connection;
            }

            connection = new RealtimeConnection(
                _runtime.Options, _runtime.Logger, OnRealtimeFrame, OnRealtimeConnected, OnRealtimeStateChanged, _runtime.Metrics);
            if (Interlocked.CompareExchange(ref _realtime, connection, null) is { } existing)
            {
                return existing;
            }

            _runtime.Health.Track(connection);
            return connection;
        }
    }

    /// <summary>
    /// Opens the realtime socket for this visitor (if it is not running) and waits until it is connected. Server-side
    /// flag changes and onboarding changes from other tabs then arrive within milliseconds; after every re-established
    /// connection the session refetches, since the server does not replay events. A lost connection is re-established
    /// with jittered backoff; a credentials failure stops it (see <see cref="RealtimeConnectionState"/>).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the connection keeps trying in the background).</param>
    /// <returns>A task that completes once connected.</returns>
    /// <exception cref="CossistantRealtimeException">The server refused the credentials.</exception>
    public Task ConnectRealtimeAsync(CancellationToken cancellationToken = default)
    {
        RequireUsable(nameof(ConnectRealtimeAsync));
        Realtime.Start(VisitorId);
        return WaitForRealtimeAsync(cancellationToken);
    }

    /// <summary>Closes the realtime socket and stops reconnecting; returns within about a second whatever the network does.</summary>
    /// <returns>A task that completes when the socket is closed.</returns>
    public Task DisconnectRealtimeAsync()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return Volatile.Read(ref _realtime)?.StopAsync() ?? Task.CompletedTask;
    }

    /// <summary>
    /// Closes the realtime socket and connects again, also after a permanent failure (e.g. once the keys or the Origin
    /// are fixed), then waits until connected.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once connected.</returns>
    /// <exception cref="CossistantRealtimeException">The server refused the credentials.</exception>
    public async Task ReconnectRealtimeAsync(CancellationToken cancellationToken = default)
    {
        RequireUsable(nameof(ReconnectRealtimeAsync));
        await Realtime.Restart(VisitorId).ConfigureAwait(false);
        await WaitForRealtimeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the socket without waiting (used when a client hands its realtime wish to a new session).</summary>
    internal void StartRealtime()
    {
        if (!IsDisposed && !_isBlocked)
        {
            Realtime.Start(VisitorId);
        }
    }

    private async Task StopRealtimeForDisposalAsync()
    {
        if (Volatile.Read(ref _realtime) is { } realtime)
        {
            await realtime.DisposeAsync().ConfigureAwait(false);
            _runtime.Health.Untrack(realtime);
        }

        CountSocket(false);
    }

    private async Task WaitForRealtimeAsync(CancellationToken cancellationToken)
    {
        var settled = new TaskCompletionSource<RealtimeConnectionState>(TaskCreationOptions.RunContinuationsAsynchronously);
        var realtime = Realtime;
        void OnChange(object? sender, RealtimeConnectionStateChangedEventArgs change) => Check(change.Current);
        void Check(RealtimeConnectionState state)
        {
            if (state.Status == RealtimeConnectionStatus.Connected
                || (state.Status == RealtimeConnectionStatus.Disconnected && (state.IsPermanentFailure || !realtime.IsRunning)))
            {
                settled.TrySetResult(state);
            }
        }

        RealtimeConnectionStateChanged += OnChange;
        try
        {
            Check(realtime.State);
            var state = await settled.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (state.Status != RealtimeConnectionStatus.Connected)
            {
                throw state.LastError as CossistantRealtimeException
                    ?? new CossistantRealtimeException("The realtime connection stopped before it connected.", state.LastError);
            }
        }
        finally
        {
            RealtimeConnectionStateChanged -= OnChange;
        }
    }

    private void OnRealtimeStateChanged(RealtimeConnectionStateChangedEventArgs change)
    {
        CountSocket(change.Current.Status == RealtimeConnectionStatus.Connected && !IsDisposed);
        try
        {
            RealtimeConnectionStateChanged?.Invoke(this, change);
        }
        catch (Exception exception)
        {
            Log.ChangeHandlerFailed(_runtime.Logger, exception);
        }
    }

    /// <summary>Keeps the visitor's count of live sockets (a visitor with one needs no time-to-live refresh).</summary>
    private void CountSocket(bool up)
    {
        if (Interlocked.Exchange(ref _socketCounted, up ? 1 : 0) != (up ? 1 : 0))
        {
            if (up)
            {
                _entry.SocketUp();
            }
            else
            {
                _entry.SocketDown();
            }
        }
    }

    /// <summary>
    /// After every (re)connection the state is unsettled, because the server never replays the events missed while
    /// offline: the session refetches (and keeps trying with backoff) until an answer settles it.
    /// </summary>
    private void OnRealtimeConnected()
    {
        if (!IsDisposed && !_isBlocked)
        {
            _store.Unsettle();
            SettleIfNeeded();
        }
    }

    private void OnRealtimeFrame(RealtimeFrame frame)
    {
        if (frame is not RealtimeFrame.SupportStateUpdated update || IsDisposed)
        {
            return;
        }

        var websiteId = WebsiteId;
        if ((websiteId is not null && !string.Equals(update.WebsiteId, websiteId, StringComparison.Ordinal))
            || (!string.IsNullOrEmpty(update.VisitorId) && !string.Equals(update.VisitorId, VisitorId, StringComparison.Ordinal)))
        {
            Log.ForeignEventIgnored(_runtime.Logger, update.WebsiteId, update.VisitorId);
            return;
        }

        var ticket = _store.ApplyEvent(update.State);
        _entry.Publish(update.State, ticket, this);
        _runtime.Metrics.RecordEventApplied();
    }
}
