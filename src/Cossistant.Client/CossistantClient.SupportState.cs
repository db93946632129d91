using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Cossistant.Client.Protocol;

namespace Cossistant.Client;

public sealed partial class CossistantClient
{
    private readonly Lock _fetchGate = new();
    private Task<SupportState>? _inflightFetch;

    /// <summary>
    /// Loads the visitor's support state (<c>GET /support/state</c>). Without <paramref name="force"/>, a loaded
    /// state is returned from the cache and concurrent calls share one request. An answer that is older than state
    /// which arrived after it was requested never replaces that newer state.
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

        Task<SupportState> fetch;
        lock (_fetchGate)
        {
            if (force || _inflightFetch is not { IsCompleted: false })
            {
                _inflightFetch = FetchSupportStateCoreAsync(visitorId);
            }

            fetch = _inflightFetch;
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

    private async Task<SupportState> FetchSupportStateCoreAsync(string visitorId)
    {
        var ticket = _store.IssueTicket();
        _store.SetLoading();
        try
        {
            var state = await _http.SendAsync(
                HttpMethod.Get, "/support/state", visitorId, (object?)null, null, CossistantJsonContext.Default.SupportState, _lifetime.Token)
                .ConfigureAwait(false);
            if (!_store.TryApplyServerState(state, ticket))
            {
                Log.StaleStateIgnored(_logger, "GET /support/state");
            }

            return _store.Snapshot.State;
        }
        catch (Exception exception)
        {
            _store.FailFetch(exception);
            throw;
        }
    }

    private sealed class ChannelObserver(ChannelWriter<SupportStateSnapshot> writer) : IObserver<SupportStateSnapshot>
    {
        public void OnCompleted() => writer.TryComplete();

        public void OnError(Exception error) => writer.TryComplete(error);

        public void OnNext(SupportStateSnapshot value) => writer.TryWrite(value);
    }
}
