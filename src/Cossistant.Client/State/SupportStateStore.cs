using System.Collections.Immutable;
using Cossistant.Client.Threading;

namespace Cossistant.Client.State;

/// <summary>
/// The client's state without lost updates. It keeps the server's last known state (the base) apart from the
/// pending optimistic operations; readers see base + operations applied in order, through one immutable
/// snapshot read without a lock. One writer at a time (a lock); changes are announced in order, outside it.
/// </summary>
/// <remarks>
/// Staleness uses tickets from one counter: a request takes a ticket when it is sent, a realtime event when it
/// arrives. A server state replaces the base only when its ticket is newer than the base's, so a fetch answer
/// never replaces a base that an event (or a later request) set after the fetch was sent. A confirmed operation
/// stays applied on top until a base taken after its confirmation arrives (re-applying it is harmless: every
/// update is set-style), so no answer that predates it can hide it.
/// </remarks>
internal sealed class SupportStateStore
{
    private readonly Lock _gate = new();
    private readonly SerialDispatcher _notifications = new();
    private readonly Action<SupportStateChangedEventArgs> _onChanged;
    private readonly SupportConfig _config;
    private SupportState _base = SupportState.Empty;
    private long _baseTicket;
    private long _tickets;
    private ImmutableList<PendingOperation> _operations = [];
    private SupportStateStatus _status = SupportStateStatus.Idle;
    private Exception? _error;
    private bool _hasServerState;
    private volatile SupportStateSnapshot _snapshot;

    /// <param name="onChanged">Called for every change, in order, never under the lock; it must not throw.</param>
    /// <param name="config">The client's config: its declared flags are precomputed per snapshot for typed checks.</param>
    public SupportStateStore(Action<SupportStateChangedEventArgs> onChanged, SupportConfig? config = null)
    {
        _onChanged = onChanged;
        _config = config ?? SupportConfig.Empty;
        _snapshot = new SupportStateSnapshot(SupportState.Empty, SupportStateStatus.Idle, null, 0, 0, _config.DeclaredFlagsIn(SupportState.Empty));
    }

    /// <summary>Whether the client's config declares a flag enabled in the current snapshot: two loads and an index.</summary>
    public bool IsDeclaredFlagEnabled(FeatureFlag flag)
    {
        var snapshot = _snapshot;
        return flag.Slot is { } slot && ReferenceEquals(slot.Config, _config)
            ? snapshot.DeclaredFlags[slot.Index]
            : snapshot.State.IsFeatureFlagEnabled(flag.Name);
    }

    /// <summary>The snapshot readers see (lock-free).</summary>
    public SupportStateSnapshot Snapshot => _snapshot;

    /// <summary>Whether a server state was ever accepted.</summary>
    public bool HasServerState => Volatile.Read(ref _hasServerState);

    /// <summary>Takes the next ticket: call when a request is sent or an event arrives.</summary>
    public long IssueTicket() => Interlocked.Increment(ref _tickets);

    /// <summary>Marks a fetch as started.</summary>
    public void SetLoading()
    {
        lock (_gate)
        {
            _status = SupportStateStatus.Loading;
            Publish();
        }

        Drain();
    }

    /// <summary>Accepts a full server state taken at <paramref name="ticket"/>, unless the base is newer.</summary>
    /// <returns><see langword="true"/> when the state became the base.</returns>
    public bool TryApplyServerState(SupportState state, long ticket)
    {
        bool applied;
        lock (_gate)
        {
            applied = ticket > _baseTicket;
            if (applied)
            {
                SetBase(state, ticket);
            }

            _status = SupportStateStatus.Success;
            _error = null;
            Publish();
        }

        Drain();
        return applied;
    }

    /// <summary>Records a failed fetch: the base and the operations stay as they are.</summary>
    public void FailFetch(Exception error)
    {
        lock (_gate)
        {
            _status = SupportStateStatus.Error;
            _error = error;
            Publish();
        }

        Drain();
    }

    /// <summary>Applies an optimistic operation on top of the base and takes its ticket.</summary>
    public PendingOperation Begin(OnboardingUpdate update)
    {
        PendingOperation operation;
        lock (_gate)
        {
            operation = new PendingOperation(update, IssueTicket());
            _operations = _operations.Add(operation);
            _status = SupportStateStatus.Success;
            _error = null;
            Publish();
        }

        Drain();
        return operation;
    }

    /// <summary>
    /// The server accepted the operation and answered with its full state: that becomes the base unless the base
    /// is newer. Either way the operation stays applied (confirmed) until a base newer than this confirmation
    /// arrives, so an older answer that lands later (e.g. a fetch the server handled first) cannot hide it.
    /// </summary>
    public void Complete(PendingOperation operation, SupportState serverState)
    {
        lock (_gate)
        {
            if (!_operations.Contains(operation))
            {
                return; // The store was reset for another visitor while the operation was in flight.
            }

            if (operation.SentTicket > _baseTicket)
            {
                SetBase(serverState, operation.SentTicket);
            }

            operation.ConfirmedTicket = IssueTicket();
            _status = SupportStateStatus.Success;
            _error = null;
            Publish();
        }

        Drain();
    }

    /// <summary>
    /// The operation failed (or, with a null error, was cancelled by its caller): only it is removed; newer server
    /// state is kept. A failure is recorded as the status; a cancellation is not.
    /// </summary>
    public void Fail(PendingOperation operation, Exception? error)
    {
        lock (_gate)
        {
            if (!_operations.Contains(operation))
            {
                return; // The store was reset for another visitor while the operation was in flight.
            }

            _operations = _operations.Remove(operation);
            if (error is not null)
            {
                _status = SupportStateStatus.Error;
                _error = error;
            }

            Publish();
        }

        Drain();
    }

    /// <summary>Forgets everything: the visitor changed, so its state and operations no longer apply.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _base = SupportState.Empty;
            _baseTicket = IssueTicket();
            _operations = [];
            _hasServerState = false;
            _status = SupportStateStatus.Idle;
            _error = null;
            Publish();
        }

        Drain();
    }

    /// <summary>Queues a callback behind every change announced so far (e.g. a new subscriber's first value).</summary>
    public void Enqueue(Func<SupportStateSnapshot, Action> callback)
    {
        lock (_gate)
        {
            _notifications.Enqueue(callback(_snapshot));
        }

        Drain();
    }

    private void SetBase(SupportState state, long ticket)
    {
        _base = state;
        _baseTicket = ticket;
        _hasServerState = true;
        _operations = _operations.RemoveAll(operation => operation.ConfirmedTicket is { } confirmed && confirmed < ticket);
    }

    /// <summary>Builds and publishes the next snapshot. Called under the lock.</summary>
    private void Publish()
    {
        var view = _base;
        foreach (var operation in _operations)
        {
            view = view.Apply(operation.Update);
        }

        var previous = _snapshot;
        var unchanged = view.Equals(previous.State);
        var current = new SupportStateSnapshot(
            unchanged ? previous.State : view,
            _status,
            _error,
            CountPending(),
            previous.Version + 1,
            unchanged ? previous.DeclaredFlags : _config.DeclaredFlagsIn(view));
        _snapshot = current;
        _notifications.Enqueue(() => _onChanged(new SupportStateChangedEventArgs(previous, current)));
    }

    private int CountPending()
    {
        var pending = 0;
        foreach (var operation in _operations)
        {
            pending += operation.ConfirmedTicket is null ? 1 : 0;
        }

        return pending;
    }

    private void Drain() => _notifications.Drain();

    /// <summary>An optimistic onboarding operation.</summary>
    internal sealed class PendingOperation(OnboardingUpdate update, long sentTicket)
    {
        public OnboardingUpdate Update { get; } = update;

        public long SentTicket { get; } = sentTicket;

        /// <summary>Set when the server confirmed it but its answer was older than the base.</summary>
        public long? ConfirmedTicket { get; set; }
    }
}
