using Cossistant.Client.Sessions;
using Cossistant.Client.Visitors;

namespace Cossistant.Client;

/// <summary>
/// Creates visitor sessions and clients cheaply. One factory (a singleton) holds what they all share: the options
/// and <see cref="SupportConfig"/>, the HTTP handler, the logger, the <see cref="TimeProvider"/>, and a per-visitor
/// cache of server state. Concurrent reads of one visitor collapse into one request; a flag or onboarding change
/// made through this process (<see cref="ServerClient"/> or any session) refreshes the affected cached visitors at
/// once; anything else is refreshed when <see cref="CossistantClientOptions.StateTimeToLive"/> runs out.
/// </summary>
/// <example>
/// <code>
/// await using var factory = new CossistantSessionFactory(new CossistantClientOptions { PrivateApiKey = "sk_...", Support = Support.Config });
/// await using var session = factory.CreateSession(visitorId);
/// await session.FetchSupportStateAsync();
/// bool on = session.IsFeatureFlagEnabled(Support.NewMessage);
/// </code>
/// </example>
public sealed class CossistantSessionFactory : IAsyncDisposable
{
    private readonly CossistantRuntime _runtime;

    /// <summary>Creates a factory with its own <see cref="HttpClient"/>.</summary>
    /// <param name="options">The options; validated here and copied, so later changes do not apply.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each field and its fix.</exception>
    public CossistantSessionFactory(CossistantClientOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates a factory over an <see cref="HttpClient"/> the caller owns (e.g. from <c>IHttpClientFactory</c>).</summary>
    /// <param name="options">The options; validated here and copied, so later changes do not apply.</param>
    /// <param name="httpClient">The HTTP client; not disposed by the factory. Its base address is not used.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each field and its fix.</exception>
    public CossistantSessionFactory(CossistantClientOptions options, HttpClient? httpClient)
    {
        _runtime = new CossistantRuntime(options, httpClient);
    }

    /// <summary>The app's declared flags and steps.</summary>
    public SupportConfig Support => _runtime.Support;

    /// <summary>The stateless server client over this factory: its changes refresh the factory's cached visitors.</summary>
    /// <exception cref="InvalidOperationException">No <see cref="CossistantClientOptions.PrivateApiKey"/> is configured.</exception>
    public ICossistantServerClient ServerClient
    {
        get
        {
            _runtime.ThrowIfDisposed(this);
            return _runtime.ServerClient;
        }
    }

    internal CossistantRuntime Runtime => _runtime;

    /// <summary>
    /// Creates a session bound to one visitor for its whole life. It reads through the factory's cache and opens no
    /// realtime socket unless asked. Dispose it (await it) when done.
    /// </summary>
    /// <param name="visitorId">The visitor id (a ULID as the API issues it).</param>
    /// <param name="websiteId">The website id, when known: events of other websites are then ignored.</param>
    /// <returns>The session.</returns>
    /// <exception cref="ArgumentException">The visitor id is not a ULID.</exception>
    /// <exception cref="ObjectDisposedException">The factory is disposed.</exception>
    public CossistantSession CreateSession(string visitorId, string? websiteId = null)
    {
        _runtime.ThrowIfDisposed(this);
        VisitorIds.ThrowIfInvalid(visitorId, nameof(visitorId));
        return new CossistantSession(_runtime, visitorId, websiteId);
    }

    /// <summary>
    /// Creates a <see cref="CossistantClient"/> that shares this factory (for a Blazor circuit or a window): it finds
    /// its visitor with <see cref="CossistantClient.FetchWebsiteAsync"/> and runs on one session at a time.
    /// </summary>
    /// <param name="visitorIdStore">Where the visitor id is kept; default the options' store.</param>
    /// <returns>The client; dispose it when done (the factory stays).</returns>
    public CossistantClient CreateClient(IVisitorIdStore? visitorIdStore = null)
    {
        _runtime.ThrowIfDisposed(this);
        return new CossistantClient(_runtime, ownsRuntime: false, visitorIdStore ?? _runtime.Options.VisitorIdStore);
    }

    /// <summary>Stops the factory: cached state is dropped, background refreshes stop, an owned HTTP client is disposed.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
