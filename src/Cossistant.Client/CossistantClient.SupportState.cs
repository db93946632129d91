using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Cossistant.Client.Protocol;
using Cossistant.Client.Realtime;

namespace Cossistant.Client;

public sealed partial class CossistantClient
{
    private readonly Lock _fetchGate = new();

    /// <summary>
    /// The visitor's requests never overlap on the wire: a fetch, a write or an identify waits for the one before it
    /// to be answered. The server then handles them in the order they were sent, so their answers are ordered too
    /// (the protocol carries no versions to order them by). Only realtime events arrive in between.
    /// </summary>
    private readonly SemaphoreSlim _lane = new(1, 1);
    private Task<SupportState>? _inflightFetch;
    private int _settling;

    /// <summary>
    /// Loads the visitor's support state (<c>GET /support/state</c>). Without <paramref name="force"/>, a loaded
    /// state is returned from the cache and concurrent calls share one request. An answer older than an event that
    /// arrived meanwhile never replaces it; when the two differ, the client asks the server once more.
    /// </summary>
    /// <param name="force">Ask the server even when the state is loaded.</param>
    /// <param name="cancellationToken">Stops waiting; a shared request still completes for the other callers.</param>
    /// <returns>The state readers now see.</returns>
    /// <exception cref="InvalidOperationException">No visitor yet (call <see cref="FetchWebsiteAsync"/>).</exception>
    /// <exception cref="CossistantException">The visitor is blocked, or the call failed.</exception>
    public async Task<SupportState> FetchSupportStateAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        var visitorId = RequireVisitor(nameof(FetchSupportStateAsync));
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = _store.Snapshot;
        if (!force && _store.HasServerState && snapshot.Status == SupportStateStatus.Success)
        {
            return snapshot.State;
        }

        TaskCompletionSource<SupportState>? started = null;
        Task<SupportState> fetch;
        lock (_fetchGate)
        {
            if (force || _inflightFetch is not { IsCompleted: false })
            {
                started = new TaskCompletionSource<SupportState>(TaskCreationOptions.RunContinuationsAsynchronously);
                _inflightFetch = started.Task;
            }

            fetch = _inflightFetch!;
        }

        if (started is not null)
        {
            _ = ShareFetchAsync(visitorId, started); // outside the gate: the store announces changes as it goes
        }

        return await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads any visitor's support state without touching this client's own state (server-side use, e.g. an API
    /// endpoint that serves many visitors with one private-key client).
    /// </summary>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The visitor's state.</returns>
    /// <exception cref="ArgumentException">The id is not a ULID.</exception>
    /// <exception cref="CossistantApiException">The call failed (404 when the visitor does not exist).</exception>
    public Task<SupportState> GetVisitorSupportStateAsync(string visitorId, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (!Visitors.VisitorIds.IsValid(visitorId))
        {
            throw new ArgumentException(
                "The visitor id must be a ULID as the API issues it: 26 characters of upper-case Crockford base32.", nameof(visitorId));
        }

        return _http.SendAsync(
            HttpMethod.Get, "/support/state", visitorId, (object?)null, null, CossistantJsonContext.Default.SupportState, cancellationToken);
    }

    /// <summary>Exact, case-sensitive test of a declared flag: lock-free and allocation-free. False until state is loaded.</summary>
    /// <param name="flag">The flag.</param>
    /// <returns><see langword="true"/> when the flag is enabled for the visitor.</returns>
    public bool IsFeatureFlagEnabled(FeatureFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return _store.IsDeclaredFlagEnabled(flag);
    }

    /// <summary>Exact, case-sensitive test of a flag by name: lock-free and allocation-free. False until state is loaded.</summary>
    /// <param name="flag">The flag name.</param>
    /// <returns><see langword="true"/> when the flag is enabled for the visitor.</returns>
    public bool IsFeatureFlagEnabled(string flag) => _store.Snapshot.State.IsFeatureFlagEnabled(flag);

    /// <summary>The onboarding progress through the client's <see cref="SupportConfig"/>: steps, current step, completion.</summary>
    /// <returns>The snapshot.</returns>
    public OnboardingSnapshot GetOnboarding() => _options.Support.GetOnboardingSnapshot(_store.Snapshot.State.Onboarding);

    /// <summary>
    /// Streams snapshots: the current one first, then the latest after each change. A slow reader skips
    /// intermediate snapshots and always gets the newest. Ends when the client is disposed or the token cancels.
    /// </summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The snapshots.</returns>
    public async IAsyncEnumerable<SupportStateSnapshot> WatchSupportStateAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var channel = Channel.CreateBounded<SupportStateSnapshot>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        using var subscription = SupportStateChanges.Subscribe(new ChannelObserver(channel.Writer));
        await foreach (var snapshot in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return snapshot;
        }
    }

    /// <summary>Runs one fetch that any number of callers share; its failure is theirs, never unobserved.</summary>
    private async Task ShareFetchAsync(string visitorId, TaskCompletionSource<SupportState> shared)
    {
        try
        {
            shared.TrySetResult(await FetchSupportStateCoreAsync(visitorId, showLoading: true).ConfigureAwait(false));
        }
        catch (Exception exception)
        {
            shared.TrySetException(exception);
            _ = shared.Task.Exception; // observed: a caller that stopped waiting must not leave it unobserved
        }
    }

    /// <summary>One <c>GET /support/state</c> in the visitor's request lane; its answer goes to the store.</summary>
    private async Task<SupportState> FetchSupportStateCoreAsync(string visitorId, bool showLoading)
    {
        if (showLoading)
        {
            _store.SetLoading();
        }

        try
        {
            SupportState state;
            long ticket;
            await _lane.WaitAsync(_lifetime.Token).ConfigureAwait(false);
            try
            {
                ticket = _store.IssueTicket();
                state = await _http.SendAsync(
                    HttpMethod.Get, "/support/state", visitorId, (object?)null, null, CossistantJsonContext.Default.SupportState, _lifetime.Token)
                    .ConfigureAwait(false);
            }
            finally
            {
                _lane.Release();
            }

            if (!_store.TryApplyServerState(state, ticket))
            {
                Log.StaleStateIgnored(_logger, "GET /support/state");
            }

            return _store.Snapshot.State;
        }
        catch (Exception exception) when (!_lifetime.IsCancellationRequested)
        {
            _store.FailFetch(exception);
            throw;
        }
        finally
        {
            SettleIfNeeded();
        }
    }

    /// <summary>
    /// Asks the server once more when the store is unsettled (an unknown outcome, an ambiguous answer, or a
    /// re-established socket that may have missed events): one shared loop that refetches, with the reconnect
    /// backoff between failed attempts, until an answer settles the store or the client closes.
    /// </summary>
    private void SettleIfNeeded()
    {
        if (_store.NeedsSettle && Volatile.Read(ref _disposed) == 0 && Interlocked.Exchange(ref _settling, 1) == 0)
        {
            _ = SettleAsync();
        }
    }

    private async Task SettleAsync()
    {
        var settled = false;
        try
        {
            var backoff = new ReconnectBackoff(_options.Realtime.ReconnectBaseDelay, _options.Realtime.ReconnectMaxDelay, Random.Shared.NextDouble);
            for (var attempt = 0; ; attempt++)
            {
                if (attempt > 0)
                {
                    await Task.Delay(backoff.Next(attempt - 1), _options.TimeProvider, _lifetime.Token).ConfigureAwait(false);
                }

                await Task.Yield(); // never on the caller's stack: the request that unsettled the store returns first
                var context = _context;
                if (!_store.NeedsSettle)
                {
                    settled = true;
                    return;
                }

                if (context.VisitorId is null || context.IsBlocked || Volatile.Read(ref _disposed) != 0)
                {
                    return;
                }

                try
                {
                    await FetchSupportStateCoreAsync(context.VisitorId, showLoading: false).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Log.CatchUpFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client closed.
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

    private sealed class ChannelObserver(ChannelWriter<SupportStateSnapshot> writer) : IObserver<SupportStateSnapshot>
    {
        public void OnCompleted() => writer.TryComplete();

        public void OnError(Exception error) => writer.TryComplete(error);

        public void OnNext(SupportStateSnapshot value) => writer.TryWrite(value);
    }
}
