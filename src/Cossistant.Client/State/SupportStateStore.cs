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
internal sealed partial class SupportStateStore
{
    private readonly object _gate = new();
    private readonly SupportConfig _config;
    private readonly TicketSource _tickets;
    private SupportState _base = SupportState.Empty;
    private long _baseTicket;
    private long _unsettledSince;
    private ImmutableList<PendingOperation> _operations = [];
    private SupportStateStatus _status = SupportStateStatus.Idle;
    private Exception? _error;
    private bool _hasServerState;
    private bool _fromCache;
    private volatile SupportStateSnapshot _snapshot;

    /// <param name="config">The app's config: its declared flags are precomputed per snapshot for typed checks.</param>
    /// <param name="tickets">The runtime's ticket counter (shared by the sessions of one visitor).</param>
    /// <param name="onChanged">Called for every change, in order, never under the lock; it must not throw.</param>
    /// <param name="onObserverError">Called when an observer of <see cref="Feed"/> throws.</param>
    public SupportStateStore(SupportConfig config, TicketSource tickets, Action<SupportStateChangedEventArgs> onChanged, Action<Exception> onObserverError)
    {
        _config = config;
        _tickets = tickets;
        _snapshot = new SupportStateSnapshot(SupportState.Empty, SupportStateStatus.Idle, null, 0, 0, true, config.DeclaredFlagsIn(SupportState.Empty));
        Feed = new ChangeFeed<SupportStateChangedEventArgs, SupportStateSnapshot>(_snapshot, static change => change.Current, onChanged, onObserverError);
    }

    /// <summary>Every change, in order: the event, the observable and the stream are built on it.</summary>
    public ChangeFeed<SupportStateChangedEventArgs, SupportStateSnapshot> Feed { get; }

    /// <summary>Whether a flag is enabled in the current snapshot (a declared flag is an array read). Lock-free.</summary>
    public bool IsFeatureFlagEnabled(FeatureFlag flag) => _snapshot.IsEnabled(_config, flag);

    /// <summary>The snapshot readers see (lock-free).</summary>
    public SupportStateSnapshot Snapshot => _snapshot;

    /// <summary>Whether a server state was ever accepted.</summary>
    public bool HasServerState => Volatile.Read(ref _hasServerState);

    /// <summary>Whether the store's outcome is unknown until the server is asked again (a fetch sent from now on settles it).</summary>
    public bool NeedsSettle => Volatile.Read(ref _unsettledSince) != 0;

    /// <summary>Takes the next ticket: call when a request is sent.</summary>
    public long IssueTicket() => _tickets.Next();

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
    /// <returns>The event's ticket.</returns>
    public long ApplyEvent(SupportState state)
    {
        long ticket;
        lock (_gate)
        {
            ticket = IssueTicket();
            SetBase(state, ticket);
            _status = SupportStateStatus.Success;
            _error = null;
            Publish();
        }

        Drain();
        return ticket;
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
                return; // Already settled by this store.
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
                return; // Already settled by this store.
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

    private void SetBase(SupportState state, long ticket)
    {
        _base = state;
        _baseTicket = ticket;
        _hasServerState = true;
        _fromCache = false;
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

    /// <summary>Builds and publishes the next snapshot, unless nothing visible changed. Called under the lock.</summary>
    private void Publish()
    {
        var view = _base;
        foreach (var operation in _operations)
        {
            view = view.Apply(operation.Update);
        }

        var previous = _snapshot;
        var unchanged = view.Equals(previous.State);
        var pending = CountPending();
        var settled = _operations.IsEmpty && _unsettledSince == 0;
        if (unchanged && previous.Status == _status && ReferenceEquals(previous.Error, _error)
            && previous.PendingOperations == pending && previous.IsSettled == settled && previous.IsFromCache == _fromCache)
        {
            return; // nothing a reader could tell apart: no new snapshot, no announcement
        }

        var current = new SupportStateSnapshot(
            unchanged ? previous.State : view,
            _status,
            _error,
            pending,
            previous.Version + 1,
            settled,
            unchanged ? previous.DeclaredFlags : _config.DeclaredFlagsIn(view),
            _fromCache);
        _snapshot = current;
        Feed.Enqueue(new SupportStateChangedEventArgs(previous, current));
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

    private void Drain() => Feed.Drain();

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
