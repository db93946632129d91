using System.Collections.Concurrent;

namespace Cossistant.Client.Threading;

/// <summary>
/// Runs queued callbacks one at a time, in queue order, on whichever thread drains first — never nested and
/// never under the caller's lock. Enqueue under the lock that orders the changes, then call <see cref="Drain"/>
/// after releasing it. A callback queued by a running callback runs after it, on the same thread.
/// </summary>
internal sealed class SerialDispatcher
{
    private readonly ConcurrentQueue<Action> _queue = new();
    private int _draining;

    public void Enqueue(Action callback) => _queue.Enqueue(callback);

    public void Drain()
    {
        while (!_queue.IsEmpty)
        {
            if (Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }

            try
            {
                while (_queue.TryDequeue(out var callback))
                {
                    callback();
                }
            }
            finally
            {
                Volatile.Write(ref _draining, 0);
            }
        }
    }
}
