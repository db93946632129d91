using Cossistant.Client.Realtime;
using Cossistant.Client.Threading;

namespace Cossistant.Client;

public sealed partial class CossistantSession
{
    private int _settling;
    private Task _settleLoop = Task.CompletedTask;

    /// <summary>
    /// Loads the visitor's support state (<c>GET /support/state</c>). Without <paramref name="force"/>, a state this
    /// session holds is returned as is, then a state the factory learned within its time to live, and concurrent
    /// callers (of every session of the visitor) share one request. An answer older than an event that arrived
    /// meanwhile never replaces it; when the two differ, the session asks the server once more.
    /// </summary>
    /// <param name="force">Ask the server even when a state is known.</param>
    /// <param name="cancellationToken">Stops waiting; a shared request still completes for the other callers.</param>
    /// <returns>The state readers now see.</returns>
    /// <exception cref="ObjectDisposedException">The session is disposed.</exception>
    /// <exception cref="CossistantException">The visitor is blocked, or the call failed.</exception>
    public Task<SupportState> FetchSupportStateAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        RequireUsable(nameof(FetchSupportStateAsync));
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<SupportState>(cancellationToken);
        }

        var snapshot = _store.Snapshot;
        if (!force && _store.HasServerState && snapshot.Status == SupportStateStatus.Success)
        {
            return Task.FromResult(snapshot.State);
        }

        if (!force && _entry.TryGetFresh(out var known, out var ticket))
        {
            _store.TryApplyServerState(known, ticket);
            SettleIfNeeded();
            return Task.FromResult(_store.Snapshot.State);
        }

        return WaitAsync(FetchCoreAsync(collapse: !force, showLoading: true), cancellationToken);
    }

    /// <summary>One load of the visitor's state for this session; its failure is recorded in the snapshot.</summary>
    private async Task<SupportState> FetchCoreAsync(bool collapse, bool showLoading)
    {
        if (showLoading)
        {
            _store.SetLoading();
        }

        try
        {
            var (state, ticket) = await _entry.LoadAsync(collapse).WaitAsync(_lifetime.Token).ConfigureAwait(false);
            _store.TryApplyServerState(state, ticket); // the entry published it already; this records the outcome for this session
            return _store.Snapshot.State;
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(CossistantSession), "The session was disposed while the call ran.");
        }
        catch (Exception exception)
        {
            _store.FailFetch(exception);
            throw;
        }
        finally
        {
            SettleIfNeeded();
        }
    }

    /// <summary>Waits for a shared task with the caller's token; the task's failure is never left unobserved.</summary>
    private static async Task<T> WaitAsync<T>(Task<T> shared, CancellationToken cancellationToken)
    {
        try
        {
            return await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = shared.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>
    /// Asks the server once more when the store is unsettled (an unknown outcome, an ambiguous answer, or a
    /// re-established socket that may have missed events): one loop per session that refetches, with the reconnect
    /// backoff between failed attempts, until an answer settles the store or the session closes.
    /// </summary>
    private void SettleIfNeeded()
    {
        if (_store.NeedsSettle && !IsDisposed && !_isBlocked && Interlocked.Exchange(ref _settling, 1) == 0)
        {
            Volatile.Write(ref _settleLoop, SettleAsync());
        }
    }

    private async Task SettleAsync()
    {
        var settled = false;
        try
        {
            var realtime = _runtime.Options.Realtime;
            var backoff = new ReconnectBackoff(realtime.ReconnectBaseDelay, realtime.ReconnectMaxDelay, Random.Shared.NextDouble);
            for (var attempt = 0; ; attempt++)
            {
                if (attempt > 0)
                {
                    await Timing.Delay(_runtime.Time, backoff.Next(attempt - 1), _lifetime.Token).ConfigureAwait(false);
                }

                await Task.Yield(); // never on the caller's stack: the call that unsettled the store returns first
                if (!_store.NeedsSettle)
                {
                    settled = true;
                    return;
                }

                if (IsDisposed || _isBlocked || _runtime.IsDisposed)
                {
                    return;
                }

                try
                {
                    await FetchCoreAsync(collapse: false, showLoading: false).ConfigureAwait(false);
                    _runtime.Metrics.RecordCatchUpFetch(succeeded: true);
                }
                catch (Exception exception) when (exception is not (OperationCanceledException or ObjectDisposedException))
                {
                    _runtime.Metrics.RecordCatchUpFetch(succeeded: false);
                    Log.CatchUpFailed(_runtime.Logger, exception);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // The session closed.
        }
        finally
        {
            Volatile.Write(ref _settling, 0);
            if (settled)
            {
                SettleIfNeeded(); // unsettled again after the last check: run once more
            }
        }
    }
}
