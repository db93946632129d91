using Cossistant.Client.Realtime;

namespace Cossistant.Client;

public sealed partial class CossistantClient
{
    private RealtimeConnection? _realtimeConnection;

    /// <summary>
    /// Raised when the realtime connection state changes (connecting, connected, reconnecting, disconnected), in
    /// order, on a background thread.
    /// </summary>
    public event EventHandler<RealtimeConnectionStateChangedEventArgs>? RealtimeConnectionStateChanged;

    /// <summary>The realtime connection state: status, since when, last error, whether the failure is permanent.</summary>
    public RealtimeConnectionState RealtimeConnectionState => Realtime.State;

    private RealtimeConnection Realtime
    {
        get
        {
            var connection = Volatile.Read(ref _realtimeConnection);
            if (connection is not null)
            {
                return connection;
            }

            connection = new RealtimeConnection(_options, _logger, OnRealtimeFrame, OnRealtimeConnected, OnRealtimeStateChanged);
            return Interlocked.CompareExchange(ref _realtimeConnection, connection, null) ?? connection;
        }
    }

    /// <summary>
    /// Connects the realtime socket (if it is not running) and waits until it is connected. Server-side flag
    /// changes and onboarding changes from other tabs then reach this client within milliseconds; after every
    /// re-established connection the client refetches the support state, since the server does not replay events.
    /// A lost connection is re-established with jittered backoff; a credentials failure stops it (see
    /// <see cref="RealtimeConnectionState"/>).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the connection keeps trying in the background).</param>
    /// <returns>A task that completes once connected.</returns>
    /// <exception cref="InvalidOperationException">A public-key client without a visitor yet.</exception>
    /// <exception cref="CossistantRealtimeException">The server refused the credentials.</exception>
    public Task ConnectRealtimeAsync(CancellationToken cancellationToken = default)
    {
        var visitorId = RealtimeVisitor();
        Realtime.Start(visitorId);
        return WaitForRealtimeAsync(cancellationToken);
    }

    /// <summary>Closes the realtime socket cleanly and stops reconnecting.</summary>
    /// <returns>A task that completes when the socket is closed.</returns>
    public Task DisconnectRealtimeAsync()
    {
        ThrowIfDisposed();
        return Volatile.Read(ref _realtimeConnection)?.StopAsync() ?? Task.CompletedTask;
    }

    /// <summary>
    /// Closes the realtime socket and connects again, also after a permanent failure (e.g. once the keys or the
    /// Origin are fixed), then waits until connected.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once connected.</returns>
    /// <exception cref="CossistantRealtimeException">The server refused the credentials.</exception>
    public async Task ReconnectRealtimeAsync(CancellationToken cancellationToken = default)
    {
        var visitorId = RealtimeVisitor();
        await Realtime.Restart(visitorId).ConfigureAwait(false);
        await WaitForRealtimeAsync(cancellationToken).ConfigureAwait(false);
    }

    private string? RealtimeVisitor()
    {
        ThrowIfDisposed();
        var visitorId = _context.VisitorId;
        if (visitorId is null && string.IsNullOrEmpty(_options.PrivateApiKey))
        {
            throw new InvalidOperationException(
                "The realtime socket needs a visitor: call FetchWebsiteAsync first, or SetWebsiteContext(websiteId, visitorId).");
        }

        return visitorId;
    }

    private async Task WaitForRealtimeAsync(CancellationToken cancellationToken)
    {
        var settled = new TaskCompletionSource<RealtimeConnectionState>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(object? sender, RealtimeConnectionStateChangedEventArgs change) => Check(change.Current);
        void Check(RealtimeConnectionState state)
        {
            if (state.Status == RealtimeConnectionStatus.Connected
                || (state.Status == RealtimeConnectionStatus.Disconnected && (state.IsPermanentFailure || !Realtime.IsRunning)))
            {
                settled.TrySetResult(state);
            }
        }

        RealtimeConnectionStateChanged += OnChange;
        try
        {
            Check(Realtime.State);
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
        try
        {
            RealtimeConnectionStateChanged?.Invoke(this, change);
        }
        catch (Exception exception)
        {
            Log.ChangeHandlerFailed(_logger, exception);
        }
    }

    /// <summary>
    /// After every (re)connection the state is unsettled, because the server never replays the events missed while
    /// offline: the client refetches (and keeps trying with backoff) until an answer settles it.
    /// </summary>
    private void OnRealtimeConnected()
    {
        var context = _context;
        if (context.VisitorId is null || context.IsBlocked || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        _store.Unsettle();
        SettleIfNeeded();
    }

    private void OnRealtimeFrame(RealtimeFrame frame)
    {
        if (frame is not RealtimeFrame.SupportStateUpdated update)
        {
            return;
        }

        var context = _context;
        if ((context.WebsiteId is not null && !string.Equals(update.WebsiteId, context.WebsiteId, StringComparison.Ordinal))
            || (!string.IsNullOrEmpty(update.VisitorId) && context.VisitorId is not null
                && !string.Equals(update.VisitorId, context.VisitorId, StringComparison.Ordinal)))
        {
            Log.ForeignEventIgnored(_logger, update.WebsiteId, update.VisitorId);
            return;
        }

        _store.ApplyEvent(update.State);
    }
}
