using Cossistant.Client.Http;
using Cossistant.Client.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cossistant.Client;

/// <summary>
/// The Cossistant support-state client: typed feature flags and onboarding progress for one website visitor,
/// kept in an optimistic local store. Create one per visitor (or one per server app for flag mutations) and keep
/// it for the app's lifetime; every member is thread-safe.
/// </summary>
/// <example>
/// <code>
/// await using var client = new CossistantClient(new CossistantClientOptions
/// {
///     PublicKey = "pk_...", Origin = "https://app.example.com", Support = Support.Config,
/// });
/// await client.FetchWebsiteAsync();
/// await client.FetchSupportStateAsync();
/// if (client.IsFeatureFlagEnabled(Support.NewMessage)) { /* ... */ }
/// await client.CompleteOnboardingStepAsync(Support.Workspace);
/// </code>
/// </example>
public sealed partial class CossistantClient : IAsyncDisposable, IDisposable
{
    private readonly CossistantClientOptions _options;
    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly CossistantHttp _http;
    private readonly SupportStateStore _store;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SnapshotObservable _observable;
    private volatile WebsiteContext _context = WebsiteContext.None;
    private int _disposed;

    /// <summary>Creates a client with its own <see cref="HttpClient"/>.</summary>
    /// <param name="options">The options; validated here and copied, so later changes do not apply.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each field and its fix.</exception>
    public CossistantClient(CossistantClientOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates a client over an <see cref="HttpClient"/> the caller owns (e.g. from <c>IHttpClientFactory</c>).</summary>
    /// <param name="options">The options; validated here and copied, so later changes do not apply.</param>
    /// <param name="httpClient">The HTTP client; not disposed by this client. Its base address is not used.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each field and its fix.</exception>
    public CossistantClient(CossistantClientOptions options, HttpClient? httpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _options = options.Clone();
        _logger = (ILogger?)_options.LoggerFactory?.CreateLogger<CossistantClient>() ?? NullLogger.Instance;
        _ownsHttpClient = httpClient is null;
        _httpClient = httpClient ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan, // the retry pipeline times each attempt
        };
        _http = new CossistantHttp(_httpClient, _options, _logger);
        _observable = new SnapshotObservable(this, _logger);
        _store = new SupportStateStore(RaiseChanged, _options.Support);
    }

    /// <summary>
    /// Raised after every change of <see cref="SupportStateSnapshot"/>, in order, on the thread that made the
    /// change (or the one already announcing earlier changes). Handlers should be quick and must not block.
    /// </summary>
    public event EventHandler<SupportStateChangedEventArgs>? SupportStateChanged;

    /// <summary>The app's declared flags and steps.</summary>
    public SupportConfig Support => _options.Support;

    /// <summary>The website id, once <see cref="FetchWebsiteAsync"/> or <see cref="SetWebsiteContext"/> ran.</summary>
    public string? WebsiteId => _context.WebsiteId;

    /// <summary>The visitor id, once known.</summary>
    public string? VisitorId => _context.VisitorId;

    /// <summary>Whether the website blocked this visitor; visitor calls then fail before any request.</summary>
    public bool IsVisitorBlocked => _context.IsBlocked;

    /// <summary>The website as the last <see cref="FetchWebsiteAsync"/> returned it.</summary>
    public WebsiteInfo? Website => _context.Website;

    /// <summary>The support state readers see: the server's state with pending optimistic operations applied.</summary>
    public SupportState SupportState => _store.Snapshot.State;

    /// <summary>The state with its status, last error and pending operation count. Read without a lock.</summary>
    public SupportStateSnapshot SupportStateSnapshot => _store.Snapshot;

    /// <summary>The status of the support state.</summary>
    public SupportStateStatus Status => _store.Snapshot.Status;

    /// <summary>
    /// The snapshots as an observable: a subscriber gets the current snapshot at once, then every change in order.
    /// Bind a Blazor or MAUI page to it; completes when the client is disposed.
    /// </summary>
    public IObservable<SupportStateSnapshot> SupportStateChanges => _observable;

    /// <summary>
    /// Closes the client: the realtime socket is closed cleanly, background work stops, observers complete and an
    /// owned HTTP client is disposed. Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Closes the client (see <see cref="Dispose"/>).</summary>
    /// <returns>A task that completes when the client is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _realtimeConnection) is { } realtime)
        {
            await realtime.DisposeAsync().ConfigureAwait(false);
        }

        _observable.Complete();
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }

        // _lifetime is cancelled, not disposed: background work may still read its token while it winds down.
    }

    internal SupportStateStore Store => _store;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void RaiseChanged(SupportStateChangedEventArgs change)
    {
        try
        {
            SupportStateChanged?.Invoke(this, change);
        }
        catch (Exception exception)
        {
            Log.ChangeHandlerFailed(_logger, exception);
        }

        _observable.Publish(change.Current);
    }

    /// <summary>Website and visitor, replaced as a whole.</summary>
    private sealed record WebsiteContext(string? WebsiteId, string? VisitorId, bool IsBlocked, WebsiteInfo? Website)
    {
        public static readonly WebsiteContext None = new(null, null, false, null);
    }
}
