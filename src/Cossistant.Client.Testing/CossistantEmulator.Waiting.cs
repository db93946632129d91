using System.Runtime.CompilerServices;
using Cossistant.Client.Testing.Internal;

namespace Cossistant.Client.Testing;

/// <summary>Recording requests, and waiting for a recorded one.</summary>
public sealed partial class CossistantEmulator
{
    private const int ListedOnTimeout = 20;

    private readonly object _requestsGate = new();
    private readonly List<RequestWaiter> _requestWaiters = [];

    /// <summary>
    /// Waits until the emulator has recorded a request that matches, and returns the first one (one recorded before
    /// the call counts). The emulator records a request once its answer is written, so a client can read the answer a
    /// moment before the record exists: wait with this instead of reading <see cref="Requests"/> right away.
    /// </summary>
    /// <param name="match">Which request. An exception it throws fails the wait.</param>
    /// <param name="timeout">The bound; default 5 seconds; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <param name="matchText">The predicate's source text, filled in by the compiler for the timeout message.</param>
    /// <returns>The recorded request.</returns>
    /// <exception cref="TimeoutException">
    /// The bound passed first; the message lists the requests recorded so far (method, path, status: never headers,
    /// query or body, which may carry keys).
    /// </exception>
    /// <exception cref="ObjectDisposedException">The emulator was disposed first.</exception>
    public Task<RecordedRequest> WaitForRequestAsync(
        Func<RecordedRequest, bool> match, TimeSpan? timeout = null, CancellationToken cancellationToken = default,
        [CallerArgumentExpression(nameof(match))] string? matchText = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        return WaitForRequestCoreAsync(match, Waits.Bound(timeout, nameof(timeout)), matchText, cancellationToken);
    }

    /// <summary>Records a request and hands it to the waiters.</summary>
    private void Record(RecordedRequest request)
    {
        RequestWaiter[] waiters;
        lock (_requestsGate)
        {
            _requests.Enqueue(request);
            waiters = [.. _requestWaiters];
        }

        foreach (var waiter in waiters)
        {
            waiter.Offer(request);
        }
    }

    /// <summary>Ends every wait (the emulator is stopping).</summary>
    private void FailRequestWaiters()
    {
        RequestWaiter[] waiters;
        lock (_requestsGate)
        {
            waiters = [.. _requestWaiters];
        }

        foreach (var waiter in waiters)
        {
            waiter.Fail(new ObjectDisposedException(nameof(CossistantEmulator), "The emulator was disposed while waiting for a request."));
        }
    }

    private async Task<RecordedRequest> WaitForRequestCoreAsync(
        Func<RecordedRequest, bool> match, TimeSpan bound, string? matchText, CancellationToken cancellationToken)
    {
        var waiter = new RequestWaiter(match);
        lock (_requestsGate)
        {
            // The ones recorded so far, in order, under the lock: a request recorded meanwhile is offered afterwards.
            foreach (var request in _requests)
            {
                if (waiter.Offer(request))
                {
                    break;
                }
            }

            _requestWaiters.Add(waiter);
        }

        try
        {
            return await waiter.Task.WaitAsync(bound, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!waiter.Task.IsCompleted)
        {
            var recorded = Requests;
            var listed = string.Join(", ", recorded.Skip(Math.Max(0, recorded.Count - ListedOnTimeout)).Select(r => $"{r.Method} {r.Path} {r.StatusCode}"));
            var what = matchText is { Length: > 0 } ? $"a request where {matchText}" : "a matching request";
            throw new TimeoutException(
                $"Timed out after {Waits.Seconds(bound)} waiting for the emulator to record {what}; it recorded {recorded.Count}"
                + (recorded.Count == 0 ? "." : recorded.Count > ListedOnTimeout ? $", the last {ListedOnTimeout}: {listed}." : $": {listed}."));
        }
        finally
        {
            lock (_requestsGate)
            {
                _requestWaiters.Remove(waiter);
            }
        }
    }
}
