using System.Collections.Immutable;
using Cossistant.Client.Threading;

namespace Cossistant.Client.State;

/// <summary>
/// The client's state without lost updates. It keeps the server's last known state (the base) apart from the
/// pending optimistic operations; readers see base + operations applied in order, through one immutable
/// snapshot read without a lock. One writer at a time (a lock); changes are announced in order, outside it.
/// </summary>
/// <remarks>
/// <para>
/// Order comes from tickets of one counter: a request takes a ticket when it is sent, a realtime event when it
/// arrives. The protocol has no versions, so an answer is newer than the base only when its ticket is: the
/// client never lets the visitor's own requests overlap on the wire, so answers arrive in the order the server
/// handled them, and only an event can arrive between a request and its answer.
/// </para>
/// <para>
/// When that happens and the answer differs from the event, neither can be trusted to be newer: the store keeps
/// its best guess (the event as base, a confirmed operation still applied on top) and marks itself unsettled, and
/// the client asks the server once more (<see cref="NeedsSettle"/>). So does a write whose outcome is unknown (it
/// was sent, then failed with a timeout, a network error or a 5xx, or was cancelled): it is rolled back as the
/// best guess and the store is unsettled. Any answer sent after the unsettling moment that is not itself
/// ambiguous settles the store.
/// </para>
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
    private long _unsettledSince;
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
        _snapshot = new SupportStateSnapshot(SupportState.Empty, SupportStateStatus.Idle, null, 0, 0, true, _config.DeclaredFlagsIn(SupportState.Empty));
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

    /// <summary>Whether the store's outcome is unknown until the server is asked again (a fetch sent from now on settles it).</summary>
    public bool NeedsSettle => Volatile.Read(ref _unsettledSince) != 0;

    /// <summary>Takes the next ticket: call when a request is sent.</summary>
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

    /// <summary>
    /// Accepts a fetch answer sent at <paramref name="ticket"/>: it becomes the base unless the base is newer. An
    /// older answer that differs from the base is ambiguous: the store keeps the base and becomes unsettled.
    /// </summary>
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
                SettleIfAfter(ticket);
            }
            else if (state.Equals(_base))
            {
                ConfirmBaseAsOf(ticket);
                SettleIfAfter(ticket);
            }
            else
            {
                MarkUnsettled(IssueTicket());
            }

            _status = SupportStateStatus.Success;
            _error = null;
            Publish();
        }

        Drain();
        return applied;
    }

    /// <summary>A realtime event: the visitor's full state as the server published it, newer than anything held.</summary>
    public void ApplyEvent(SupportState state)
    {
        lock (_gate)
        {
            SetBase(state, IssueTicket());
            _status = SupportStateStatus.Success;
            _error = null;
            Publish();
        }

        Drain();
    }

    /// <summary>Marks the state unsettled from now on, e.g. after a re-established socket that may have missed events.</summary>
    public void Unsettle()
    {
        lock (_gate)
        {
            MarkUnsettled(IssueTicket());
            Publish();
        }

        Drain();
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

    /// <summary>Applies an optimistic operation on top of the base. Call <see cref="MarkSent"/> when its request leaves.</summary>
    public PendingOperation Begin(OnboardingUpdate update)
    {
        PendingOperation operation;
        lock (_gate)
        {
            operation = new PendingOperation(update);
            _operations = _operations.Add(operation);
            _status = SupportStateStatus.Success;
            _error = null;
            Publish();
        }

        Drain();
        return operation;
    }

    /// <summary>The operation's request is being sent now: it takes its ticket.</summary>
    public void MarkSent(PendingOperation operation)
    {
        lock (_gate)
        {
            operation.SentTicket = IssueTicket();
        }
    }

    /// <summary>
    /// The server applied the operation and answered with its full state. Nothing arrived since it was sent: the
    /// answer becomes the base. Else, when the answer agrees with the base, the operation is simply done; when it
    /// differs, it is ambiguous: the operation stays applied (confirmed) as the best guess and the store becomes
    /// unsettled until the server is asked again.
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="serverState">The server's answer.</param>
    /// <param name="answeredTicket">
    /// A ticket taken when the answer arrived, before the next request could be sent (default: now).
    /// </param>
    public void Complete(PendingOperation operation, SupportState serverState, long answeredTicket = 0)
    {
        lock (_gate)
        {
            if (!_operations.Contains(operation))
            {
                return; // The store was reset for another visitor while the operation was in flight.
            }

            if (operation.SentTicket > _baseTicket)
            {
                _operations = _operations.Remove(operation);
                SetBase(serverState, operation.SentTicket);
                SettleIfAfter(operation.SentTicket);
            }
            else if (serverState.Equals(_base))
            {
                _operations = _operations.Remove(operation);
            }
            else
            {
                operation.ConfirmedTicket = answeredTicket != 0 ? answeredTicket : IssueTicket();
                MarkUnsettled(operation.ConfirmedTicket.Value);
            }

            _status = SupportStateStatus.Success;
            _error = null;
            Publish();
        }

        Drain();
    }

    /// <summary>
    /// The operation failed (or, with a null error, was cancelled by its caller): only it is removed (rolled back);
    /// newer server state is kept. A failure is recorded as the status; a cancellation is not. When the request was
    /// sent and its outcome is unknown, the store becomes unsettled.
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="error">The failure, or <see langword="null"/> for a cancellation by its caller.</param>
    /// <param name="unknownSince">
    /// When the request was sent and its outcome is unknown: a ticket taken when the call ended, before the next
    /// request could be sent. 0 when the request was not applied (never sent, or refused).
    /// </param>
    public void Fail(PendingOperation operation, Exception? error, long unknownSince = 0)
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

            if (unknownSince != 0)
            {
                MarkUnsettled(unknownSince);
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
            _unsettledSince = 0;
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
        ConfirmBaseAsOf(ticket);
    }

    /// <summary>The base holds as of <paramref name="ticket"/>: operations confirmed before that are part of it.</summary>
    private void ConfirmBaseAsOf(long ticket) =>
        _operations = _operations.RemoveAll(operation => operation.ConfirmedTicket is { } confirmed && confirmed < ticket);

    private void MarkUnsettled(long ticket) => _unsettledSince = Math.Max(_unsettledSince, ticket);

    /// <summary>An unambiguous answer to a request sent after the unsettling moment settles the store.</summary>
    private void SettleIfAfter(long ticket)
    {
        if (_unsettledSince != 0 && ticket > _unsettledSince)
        {
            _unsettledSince = 0;
        }
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
            _operations.IsEmpty && _unsettledSince == 0,
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
    internal sealed class PendingOperation(OnboardingUpdate update)
    {
        public OnboardingUpdate Update { get; } = update;

        /// <summary>The ticket taken when its request was sent; 0 while it waits to be sent.</summary>
        public long SentTicket { get; set; }

        /// <summary>Set when the server confirmed it but its answer was ambiguous (older than the base and different).</summary>
        public long? ConfirmedTicket { get; set; }
    }
}
