using System.Collections.Immutable;
using Cossistant.Client.Http;
using Cossistant.Client.Protocol;

namespace Cossistant.Client.Sessions;

/// <summary>
/// One visitor as this process knows it: the last server state (with its ticket and when it was learned), the
/// sessions listening to it, the contact and organization it is linked to, and its request lane. Every request
/// about the visitor's state, from any session or the server client, goes through the lane, so they never overlap
/// on the wire and their answers are ordered.
/// </summary>
internal sealed class VisitorEntry
{
    private readonly object _gate = new();
    private readonly CossistantRuntime _runtime;
    private ImmutableArray<IVisitorStateListener> _listeners = [];
    private Known? _latest;
    private Task<(SupportState State, long Ticket)>? _loading;
    private int _liveSockets;
    private bool _retired;

    public VisitorEntry(CossistantRuntime runtime, string visitorId)
    {
        _runtime = runtime;
        VisitorId = visitorId;
    }

    public string VisitorId { get; }

    /// <summary>One request of this visitor at a time.</summary>
    public SemaphoreSlim Lane { get; } = new(1, 1);

    /// <summary>The contact the visitor is linked to, once a website or identify answer said so.</summary>
    public string? ContactId { get; set; }

    /// <summary>The contact's organization, once an identify answer said so.</summary>
    public string? OrganizationId { get; set; }

    public bool HasListeners
    {
        get
        {
            lock (_gate)
            {
                return !_listeners.IsEmpty;
            }
        }
    }

    /// <summary>Whether a listening session holds a connected realtime socket (events keep the state fresh).</summary>
    public bool HasLiveSocket => Volatile.Read(ref _liveSockets) > 0;

    /// <summary>The last state while it is fresh: no clock is read here (the cache's sweep marks states stale).</summary>
    public bool TryGetFresh(out SupportState state, out long ticket)
    {
        if (Volatile.Read(ref _latest) is { Stale: false } latest)
        {
            (state, ticket) = (latest.State, latest.Ticket);
            return true;
        }

        (state, ticket) = (null!, 0);
        return false;
    }

    /// <summary>
    /// How long ago the server last confirmed the state the visitor's sessions show: zero while one of them holds a
    /// connected socket; <see langword="null"/> when no session listens or no state is known.
    /// </summary>
    public TimeSpan? WatchedStateAge()
    {
        if (!HasListeners)
        {
            return null;
        }

        if (HasLiveSocket)
        {
            return TimeSpan.Zero;
        }

        return Volatile.Read(ref _latest) is { } latest ? _runtime.Time.GetElapsedTime(latest.Timestamp) : null;
    }

    /// <summary>Marks the state stale once it is at least the time to live old (called by the cache's sweep).</summary>
    /// <returns>Whether the state is stale now.</returns>
    public bool MarkStaleIfOld()
    {
        lock (_gate)
        {
            if (_latest is { Stale: false } latest && _runtime.Time.GetElapsedTime(latest.Timestamp) >= _runtime.Options.StateTimeToLive)
            {
                _latest = latest with { Stale = true };
            }

            return _latest is not { Stale: false };
        }
    }

    /// <summary>Adds a listener; false when the entry was retired (get a new one from the cache).</summary>
    public bool TryAttach(IVisitorStateListener listener)
    {
        lock (_gate)
        {
            if (_retired)
            {
                return false;
            }

            _listeners = _listeners.Add(listener);
            return true;
        }
    }

    public void Detach(IVisitorStateListener listener)
    {
        lock (_gate)
        {
            _listeners = _listeners.Remove(listener);
        }
    }

    /// <summary>Retires the entry when nobody listens and its state is stale: the cache then forgets it.</summary>
    public bool TryRetire()
    {
        lock (_gate)
        {
            if (!_listeners.IsEmpty || _loading is { IsCompleted: false } || _latest is { Stale: false })
            {
                return false;
            }

            _retired = true;
            return true;
        }
    }

    public void SocketUp() => Interlocked.Increment(ref _liveSockets);

    public void SocketDown() => Interlocked.Decrement(ref _liveSockets);

    /// <summary>Marks the last state stale, so the next cached read asks the server.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            if (_latest is { } latest)
            {
                _latest = latest with { Stale = true };
            }
        }
    }

    /// <summary>
    /// A full server state of the visitor taken at <paramref name="ticket"/>: it becomes the entry's state unless a
    /// newer one is held, and every listener but <paramref name="from"/> (which applied it already) gets it.
    /// </summary>
    public void Publish(SupportState state, long ticket, IVisitorStateListener? from)
    {
        ImmutableArray<IVisitorStateListener> listeners;
        lock (_gate)
        {
            if (_latest is null || ticket > _latest.Ticket)
            {
                _latest = new Known(state, ticket, _runtime.Time.GetTimestamp());
            }

            listeners = _listeners;
        }

        foreach (var listener in listeners)
        {
            if (!ReferenceEquals(listener, from))
            {
                listener.OnServerState(state, ticket);
            }
        }
    }

    /// <summary>
    /// Asks the server for the visitor's state (<c>GET /support/state</c>, through the lane) and publishes the
    /// answer. With <paramref name="collapse"/>, a fresh state is returned as is and concurrent callers share one
    /// request.
    /// </summary>
    /// <returns>The state and its ticket.</returns>
    public Task<(SupportState State, long Ticket)> LoadAsync(bool collapse)
    {
        TaskCompletionSource<(SupportState State, long Ticket)> load;
        lock (_gate)
        {
            if (collapse && _latest is { Stale: false } latest)
            {
                return Task.FromResult((latest.State, latest.Ticket));
            }

            if (collapse && _loading is { IsCompleted: false } shared)
            {
                return shared;
            }

            load = new TaskCompletionSource<(SupportState State, long Ticket)>(TaskCreationOptions.RunContinuationsAsynchronously);
            _loading = load.Task;
        }

        _ = RunLoadAsync(load); // outside the gate: the answer is published to the listeners as it lands
        return load.Task;
    }

    /// <summary>Sends one request of this visitor through the lane; the ticket is taken when it is sent.</summary>
    public async Task<(T Answer, long Ticket)> SendAsync<T>(Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        await Lane.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ticket = _runtime.Tickets.Next();
            return (await send(cancellationToken).ConfigureAwait(false), ticket);
        }
        finally
        {
            Lane.Release();
        }
    }

    /// <summary>
    /// Links the visitor to a contact (<c>POST /contacts/identify</c>, through the lane) and learns the contact and its
    /// organization, so a flag change of either refreshes this visitor.
    /// </summary>
    public async Task<IdentifyResult> IdentifyAsync(IdentifyRequest request, CancellationToken cancellationToken)
    {
        var (result, _) = await SendAsync(
            token => _runtime.Http.SendAsync(
                ApiOperation.Identify,
                VisitorId,
                request with { VisitorId = VisitorId },
                CossistantJsonContext.Default.IdentifyRequest,
                CossistantJsonContext.Default.IdentifyResult,
                token),
            cancellationToken).ConfigureAwait(false);
        ContactId = result.Contact?.Id;
        OrganizationId = result.Contact?.ContactOrganizationId;
        return result;
    }

    /// <summary>Asks the server for the visitor's state now (<c>GET /support/state</c>, through the lane); the answer is published.</summary>
    /// <returns>The state and the ticket of its request.</returns>
    public async Task<(SupportState State, long Ticket)> FetchAsync(CancellationToken cancellationToken)
    {
        var (state, ticket) = await SendAsync(
            token => _runtime.Http.SendAsync(
                ApiOperation.FetchSupportState, VisitorId, (object?)null, null, CossistantJsonContext.Default.SupportState, token),
            cancellationToken).ConfigureAwait(false);
        Publish(state, ticket, null);
        return (state, ticket);
    }

    private async Task RunLoadAsync(TaskCompletionSource<(SupportState State, long Ticket)> load)
    {
        try
        {
            load.TrySetResult(await FetchAsync(_runtime.Lifetime).ConfigureAwait(false));
        }
        catch (Exception exception)
        {
            load.TrySetException(exception);
            _ = load.Task.Exception; // observed: callers that stopped waiting must not leave it unobserved
        }
    }

    /// <summary>A server state, its ticket, when it was learned, and whether it is stale.</summary>
    private sealed record Known(SupportState State, long Ticket, long Timestamp, bool Stale = false);
}
