using Cossistant.Client.Diagnostics;
using Cossistant.Client.Http;
using Cossistant.Client.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cossistant.Client.Sessions;

/// <summary>
/// What every session, client and server client built from one set of options shares: the validated options, the
/// HTTP stack, logging, time, the ticket counter and the per-visitor cache. Its owner (a session factory, or a
/// client created on its own) disposes it; everything built on it stops with it.
/// </summary>
internal sealed class CossistantRuntime : IAsyncDisposable
{
    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly CancellationTokenSource _lifetime = new();
    private CossistantServerClient? _serverClient;
    private int _disposed;

    public CossistantRuntime(CossistantClientOptions options, HttpClient? httpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Options = options.Clone();
        LoggerFactory = Options.LoggerFactory ?? NullLoggerFactory.Instance;
        Logger = LoggerFactory.CreateLogger<CossistantClient>();
        _ownsHttpClient = httpClient is null;
        _httpClient = httpClient ?? new HttpClient(Platform.CreateHandler())
        {
            Timeout = Timeout.InfiniteTimeSpan, // the retry pipeline times each attempt
        };
        Metrics = ClientMetrics.For(Telemetry.MeterFor(Options));
        Http = new CossistantHttp(_httpClient, Options, Logger, Metrics, Health);
        NeverConnected = new RealtimeConnectionState(RealtimeConnectionStatus.Disconnected, Time.GetUtcNow(), null, false, null, 0, null);
        Cache = new VisitorCache(this);
        Metrics.Attach(this);
    }

    /// <summary>The realtime state of a session that never opened a socket.</summary>
    public RealtimeConnectionState NeverConnected { get; }

    public CossistantClientOptions Options { get; }

    public SupportConfig Support => Options.Support;

    public TimeProvider Time => Options.TimeProvider;

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Logger { get; }

    public CossistantHttp Http { get; }

    /// <summary>The instruments this runtime records to (its options' meter).</summary>
    public ClientMetrics Metrics { get; }

    /// <summary>Key refusals and realtime connections, for health checks.</summary>
    public RuntimeHealth Health { get; } = new();

    public TicketSource Tickets { get; } = new();

    public VisitorCache Cache { get; }

    /// <summary>Cancelled when the runtime is disposed: background work of everything built on it stops.</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The server client over this runtime (its mutations refresh this runtime's cached visitors).</summary>
    public CossistantServerClient ServerClient =>
        Volatile.Read(ref _serverClient) ?? Interlocked.CompareExchange(ref _serverClient, new CossistantServerClient(this), null) ?? _serverClient!;

    public void ThrowIfDisposed(object owner) => ObjectDisposedException.ThrowIf(IsDisposed, owner);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        Metrics.Detach(this);
        Cache.Dispose();
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }

        // _lifetime is cancelled, not disposed: background work may still read its token while it winds down.
    }
}
