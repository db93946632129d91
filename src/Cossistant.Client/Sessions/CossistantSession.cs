using Cossistant.Client.Sessions;
using Cossistant.Client.State;
using Cossistant.Client.Threading;

namespace Cossistant.Client;

/// <summary>
/// One visitor's support state in this process, for the session's whole life: its optimistic store, its requests,
/// its realtime socket when it opts into one, and the background work that keeps it settled. Create sessions with a
/// <see cref="CossistantSessionFactory"/>: they are cheap, and share the factory's HTTP stack, cache and config.
/// Dispose each one (await it) when its request, circuit or window ends: nothing of it is left running. Every member
/// is thread-safe.
/// </summary>
/// <example>
/// <code>
/// await using var session = factory.CreateSession(visitorId);
/// await session.FetchSupportStateAsync();          // from the factory's cache when fresh
/// if (session.IsFeatureFlagEnabled(Support.NewMessage)) { /* ... */ }
/// await session.CompleteOnboardingStepAsync(Support.Workspace);
/// </code>
/// </example>
public sealed partial class CossistantSession : IAsyncDisposable, IVisitorStateListener
{
    private readonly CossistantRuntime _runtime;
    private readonly VisitorEntry _entry;
    private readonly SupportStateStore _store;
    private readonly CancellationTokenSource _lifetime = new();
    private Task? _disposal;
    private string? _websiteId;
    private volatile bool _isBlocked;

    internal CossistantSession(CossistantRuntime runtime, string visitorId, string? websiteId)
    {
        _runtime = runtime;
        _websiteId = websiteId;
        _store = new SupportStateStore(runtime.Support, runtime.Tickets, RaiseChanged, exception => Log.ChangeHandlerFailed(runtime.Logger, exception));
        _entry = runtime.Cache.Attach(visitorId, this);
        LastKnownLoaded = runtime.LastKnown is { } lastKnown ? Task.Run(() => ShowLastKnownAsync(lastKnown)) : Task.CompletedTask;
    }

    /// <summary>
    /// Raised after every change of <see cref="SupportStateSnapshot"/>, in order, on the thread that made the change
    /// (or the one already announcing earlier changes). Handlers should be quick and must not block.
    /// </summary>
    public event EventHandler<SupportStateChangedEventArgs>? SupportStateChanged;

    /// <summary>The visitor this session belongs to, for its whole life.</summary>
    public string VisitorId => _entry.VisitorId;

    /// <summary>The website, when known (events of other websites are ignored once it is).</summary>
    public string? WebsiteId => Volatile.Read(ref _websiteId);

    /// <summary>The app's declared flags and steps.</summary>
    public SupportConfig Support => _runtime.Support;

    /// <summary>The support state readers see: the server's state with pending optimistic operations applied.</summary>
    public SupportState SupportState => _store.Snapshot.State;

    /// <summary>The state with its status, last error, pending operation count and whether it is settled. Lock-free.</summary>
    public SupportStateSnapshot SupportStateSnapshot => _store.Snapshot;

    /// <summary>The status of the support state.</summary>
    public SupportStateStatus Status => _store.Snapshot.Status;

    /// <summary>
    /// The snapshots as an observable: a subscriber gets the current snapshot first, then every change in order, and
    /// completes when the session is disposed (after every change announced before).
    /// </summary>
    public IObservable<SupportStateSnapshot> SupportStateChanges => _store.Feed;

    internal bool IsDisposed => Volatile.Read(ref _disposal) is not null;

    internal bool IsBlocked
    {
        get => _isBlocked;
        set => _isBlocked = value;
    }

    internal SupportStateStore Store => _store;

    /// <summary>Completes once the visitor's last-known state was read (and shown, unless the server answered first). Never faults.</summary>
    internal Task LastKnownLoaded { get; }

    /// <summary>Exact, case-sensitive test of a declared flag: lock-free and allocation-free. False until state is loaded.</summary>
    /// <param name="flag">The flag.</param>
    /// <returns><see langword="true"/> when the flag is enabled for the visitor.</returns>
    public bool IsFeatureFlagEnabled(FeatureFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return _store.IsFeatureFlagEnabled(flag);
    }

    /// <summary>Exact, case-sensitive test of a flag by name: lock-free and allocation-free. False until state is loaded.</summary>
    /// <param name="flag">The flag name.</param>
    /// <returns><see langword="true"/> when the flag is enabled for the visitor.</returns>
    public bool IsFeatureFlagEnabled(string flag) => _store.Snapshot.State.IsFeatureFlagEnabled(flag);

    /// <summary>The onboarding progress through the <see cref="SupportConfig"/>: steps, current step, completion.</summary>
    /// <returns>The snapshot.</returns>
    public OnboardingSnapshot GetOnboarding() => _runtime.Support.GetOnboardingSnapshot(_store.Snapshot.State.Onboarding);

    /// <summary>
    /// Streams snapshots: the current one first, then the latest after each change. A slow reader skips intermediate
    /// snapshots and always gets the newest. Ends when the session is disposed or the token cancels.
    /// </summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The snapshots.</returns>
    public IAsyncEnumerable<SupportStateSnapshot> WatchSupportStateAsync(CancellationToken cancellationToken = default) =>
        SnapshotStream.WatchAsync(_store.Feed, cancellationToken);

    /// <summary>
    /// Closes the session: its socket, its background work and its in-flight calls stop (a call still running fails
    /// with <see cref="ObjectDisposedException"/>), and its observers complete. Awaiting it leaves nothing running.
    /// </summary>
    /// <returns>A task that completes when everything of the session has stopped.</returns>
    public ValueTask DisposeAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _disposal, done.Task, null) is { } running)
        {
            return new ValueTask(running);
        }

        return new ValueTask(DisposeCoreAsync(done));
    }

    /// <inheritdoc />
    public override string ToString() => $"Session of visitor {VisitorId}: {_store.Snapshot}";

    /// <summary>A server state of this visitor learned by another session or the server client.</summary>
    void IVisitorStateListener.OnServerState(SupportState state, long ticket)
    {
        if (!IsDisposed)
        {
            _store.TryApplyServerState(state, ticket);
            SettleIfNeeded();
        }
    }

    internal void SetWebsiteId(string? websiteId) => Volatile.Write(ref _websiteId, websiteId);

    private async Task DisposeCoreAsync(TaskCompletionSource done)
    {
        try
        {
            _entry.Detach(this);
            await _lifetime.CancelAsync().ConfigureAwait(false);
            await StopRealtimeForDisposalAsync().ConfigureAwait(false);
            await Volatile.Read(ref _settleLoop).ConfigureAwait(false);
            await LastKnownLoaded.ConfigureAwait(false);
            _store.Feed.Complete();
        }
        finally
        {
            done.TrySetResult();
        }
    }

    /// <summary>Throws before any request when the session is closed or its visitor is blocked.</summary>
    private void RequireUsable(string operation)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (_isBlocked)
        {
            throw new CossistantException(
                $"{operation} refused: the website blocked this visitor.", null, CossistantErrorCodes.VisitorBlocked, null, null);
        }
    }

    /// <summary>The caller's token combined with the session's lifetime.</summary>
    private CancellationTokenSource Link(CancellationToken cancellationToken) =>
        CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);

    /// <summary>A cancellation caused by the session's disposal surfaces as <see cref="ObjectDisposedException"/>.</summary>
    private void ThrowIfClosedDuring(CancellationToken callerToken)
    {
        if (!callerToken.IsCancellationRequested && _lifetime.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(CossistantSession), "The session was disposed while the call ran.");
        }
    }

    private async Task ShowLastKnownAsync(LastKnown.LastKnownStates lastKnown)
    {
        try
        {
            if (await lastKnown.ReadAsync(VisitorId, _lifetime.Token).ConfigureAwait(false) is { } state && !IsDisposed)
            {
                _store.TryApplyLastKnown(state);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // The session closed first.
        }
    }

    private void RaiseChanged(SupportStateChangedEventArgs change)
    {
        try
        {
            SupportStateChanged?.Invoke(this, change);
        }
        catch (Exception exception)
        {
            Log.ChangeHandlerFailed(_runtime.Logger, exception);
        }
    }
}
