using System.Collections.Immutable;

namespace Cossistant.Client.Threading;

/// <summary>
/// The one way changes are announced: in order, one at a time, on whichever thread drains first, never nested and
/// never under the producer's lock. Subscriptions and the completion travel through the same queue as the changes,
/// so a subscriber gets the value current at its place in the queue first and every later change after it, and the
/// completion reaches every subscriber queued before it, however slow a handler ahead of them is.
/// </summary>
/// <typeparam name="TChange">What is announced, e.g. <see cref="SupportStateChangedEventArgs"/>.</typeparam>
/// <typeparam name="TValue">The value a change leads to, e.g. <see cref="SupportStateSnapshot"/>.</typeparam>
internal sealed class ChangeFeed<TChange, TValue> : IObservable<TValue>
    where TChange : class
{
    private readonly object _queueGate = new();
    private readonly Func<TChange, TValue> _valueOf;
    private readonly Action<TChange> _sink;
    private readonly Action<Exception> _onObserverError;
    private Node? _head;
    private Node? _tail;
    private bool _draining;
    private TValue _current;
    private bool _completed;
    private ImmutableArray<IObserver<TValue>> _observers = [];

    /// <param name="initial">The value before any change.</param>
    /// <param name="valueOf">The value a change leads to.</param>
    /// <param name="sink">Called first for every change (e.g. raises a .NET event); it must not throw.</param>
    /// <param name="onObserverError">Called when an observer throws; the others still get the change.</param>
    public ChangeFeed(TValue initial, Func<TChange, TValue> valueOf, Action<TChange> sink, Action<Exception> onObserverError)
    {
        _current = initial;
        _valueOf = valueOf;
        _sink = sink;
        _onObserverError = onObserverError;
    }

    /// <summary>Queues a change. Call it under the lock that orders the changes, then <see cref="Drain"/> after releasing it.</summary>
    public void Enqueue(TChange change) => Append(new Node(change, null));

    /// <summary>
    /// Subscribes an observer: it gets the value current at this point of the queue, then every later change, then
    /// the completion (at once if the feed already completed).
    /// </summary>
    public IDisposable Subscribe(IObserver<TValue> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var subscription = new Subscription(this, observer);
        Append(new Node(null, subscription));
        Drain();
        return subscription;
    }

    /// <summary>Completes every observer after the changes queued so far; later subscribers complete at once.</summary>
    public void Complete()
    {
        Append(new Node(null, null));
        Drain();
    }

    /// <summary>Delivers what is queued, unless another thread is already delivering (it will deliver this too).</summary>
    public void Drain()
    {
        lock (_queueGate)
        {
            if (_draining)
            {
                return;
            }

            _draining = true;
        }

        while (true)
        {
            Node? node;
            lock (_queueGate)
            {
                node = _head;
                if (node is null)
                {
                    _draining = false;
                    return;
                }

                _head = node.Next;
                if (_head is null)
                {
                    _tail = null;
                }
            }

            Deliver(node);
        }
    }

    private void Append(Node node)
    {
        lock (_queueGate)
        {
            if (_tail is null)
            {
                _head = _tail = node;
            }
            else
            {
                _tail = _tail.Next = node;
            }
        }
    }

    private void Deliver(Node node)
    {
        if (node.Change is { } change)
        {
            _current = _valueOf(change);
            _sink(change);
            foreach (var observer in _observers)
            {
                Next(observer, _current);
            }
        }
        else if (node.Subscription is { } subscription)
        {
            if (subscription.IsDisposed)
            {
                return;
            }

            if (_completed)
            {
                subscription.Observer.OnCompleted();
                return;
            }

            ImmutableInterlocked.Update(ref _observers, static (list, added) => list.Add(added), subscription.Observer);
            Next(subscription.Observer, _current);
        }
        else
        {
            _completed = true;
            foreach (var observer in ImmutableInterlocked.InterlockedExchange(ref _observers, []))
            {
                observer.OnCompleted();
            }
        }
    }

    private void Next(IObserver<TValue> observer, TValue value)
    {
        try
        {
            observer.OnNext(value);
        }
        catch (Exception exception)
        {
            _onObserverError(exception);
        }
    }

    /// <summary>A change, a subscription, or (neither) the completion.</summary>
    private sealed class Node(TChange? change, Subscription? subscription)
    {
        public TChange? Change { get; } = change;

        public Subscription? Subscription { get; } = subscription;

        public Node? Next { get; set; }
    }

    private sealed class Subscription(ChangeFeed<TChange, TValue> feed, IObserver<TValue> observer) : IDisposable
    {
        private int _disposed;

        public IObserver<TValue> Observer { get; } = observer;

        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                ImmutableInterlocked.Update(ref feed._observers, static (list, removed) => list.Remove(removed), Observer);
            }
        }
    }
}
