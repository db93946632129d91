using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Cossistant.Client;

/// <summary>The client's snapshots as an <see cref="IObservable{T}"/> with "current value first" semantics.</summary>
internal sealed class SnapshotObservable(CossistantClient client, ILogger logger) : IObservable<SupportStateSnapshot>
{
    private ImmutableArray<IObserver<SupportStateSnapshot>> _observers = [];
    private bool _completed;

    public IDisposable Subscribe(IObserver<SupportStateSnapshot> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (Volatile.Read(ref _completed))
        {
            observer.OnCompleted();
            return new Subscription(this, observer);
        }

        // The first value is queued behind every change announced so far, so the observer sees them in order.
        var subscription = new Subscription(this, observer);
        client.Store.Enqueue(snapshot => () =>
        {
            if (!subscription.IsDisposed)
            {
                ImmutableInterlocked.Update(ref _observers, list => list.Add(observer));
                Deliver(observer, snapshot);
            }
        });
        return subscription;
    }

    public void Publish(SupportStateSnapshot snapshot)
    {
        foreach (var observer in _observers)
        {
            Deliver(observer, snapshot);
        }
    }

    public void Complete()
    {
        Volatile.Write(ref _completed, true);
        foreach (var observer in ImmutableInterlocked.InterlockedExchange(ref _observers, []))
        {
            observer.OnCompleted();
        }
    }

    private void Deliver(IObserver<SupportStateSnapshot> observer, SupportStateSnapshot snapshot)
    {
        try
        {
            observer.OnNext(snapshot);
        }
        catch (Exception exception)
        {
            Log.ChangeHandlerFailed(logger, exception);
        }
    }

    private sealed class Subscription(SnapshotObservable owner, IObserver<SupportStateSnapshot> observer) : IDisposable
    {
        private int _disposed;

        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        public void Dispose()
        {
            Interlocked.Exchange(ref _disposed, 1);
            ImmutableInterlocked.Update(ref owner._observers, list => list.Remove(observer));
        }
    }
}
