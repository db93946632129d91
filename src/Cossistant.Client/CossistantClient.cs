using Cossistant.Client.Sessions;
using Cossistant.Client.Threading;

namespace Cossistant.Client;

/// <summary>
/// The Cossistant support-state client with the TypeScript SDK's method names: typed feature flags and onboarding
/// progress for one visitor at a time, for a desktop, MAUI or Blazor app. It finds its visitor
/// (<see cref="FetchWebsiteAsync"/>) and runs on one <see cref="CossistantSession"/> per visitor: a change of visitor
/// swaps sessions atomically, and a call still in flight for the old visitor can never touch the new one. Keep it for
/// the app's lifetime; every member is thread-safe. For a server with many visitors use
/// <see cref="ICossistantServerClient"/> and sessions from a <see cref="CossistantSessionFactory"/>.
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
    private readonly CossistantRuntime _runtime;
    private readonly bool _ownsRuntime;
    private readonly IVisitorIdStore _visitorIds;
    private readonly object _bindingGate = new();
    private readonly ChangeFeed<SupportStateChangedEventArgs, SupportStateSnapshot> _feed;
    private readonly List<Task> _retiring = [];
    private volatile Binding _binding = Binding.None;
    private SupportStateSnapshot _forwarded = SupportStateSnapshot.Initial;
    private CossistantSession? _forwardedFrom;
    private volatile bool _realtimeWanted;
    private Task? _disposal;

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
        : this(new CossistantRuntime(options, httpClient), ownsRuntime: true, visitorIds: null)
    {
    }

    internal CossistantClient(CossistantRuntime runtime, bool ownsRuntime, IVisitorIdStore? visitorIds)
    {
        _runtime = runtime;
        _ownsRuntime = ownsRuntime;
        _visitorIds = visitorIds ?? runtime.Options.VisitorIdStore;
        _feed = new ChangeFeed<SupportStateChangedEventArgs, SupportStateSnapshot>(
            SupportStateSnapshot.Initial, static change => change.Current, RaiseChanged, exception => Log.ChangeHandlerFailed(runtime.Logger, exception));
    }

    /// <summary>
    /// Raised after every change of <see cref="SupportStateSnapshot"/>, in order, on the thread that made the change
    /// (or the one already announcing earlier changes); also when the visitor changes. Handlers should be quick and
    /// must not block.
    /// </summary>
    public event EventHandler<SupportStateChangedEventArgs>? SupportStateChanged;

    /// <summary>The app's declared flags and steps.</summary>
    public SupportConfig Support => _runtime.Support;

    /// <summary>The website id, once <see cref="FetchWebsiteAsync"/> or <see cref="SetWebsiteContextAsync"/> ran.</summary>
    public string? WebsiteId => _binding.Context.WebsiteId;

    /// <summary>The visitor id, once known.</summary>
    public string? VisitorId => _binding.Context.VisitorId;

    /// <summary>Whether the website blocked this visitor; visitor calls then fail before any request.</summary>
    public bool IsVisitorBlocked => _binding.Context.IsBlocked;

    /// <summary>The website as the last <see cref="FetchWebsiteAsync"/> returned it.</summary>
    public WebsiteInfo? Website => _binding.Context.Website;

    /// <summary>The current visitor's session, or <see langword="null"/> before the visitor is known.</summary>
    public CossistantSession? Session => _binding.Session;

    /// <summary>The support state readers see: the server's state with pending optimistic operations applied.</summary>
    public SupportState SupportState => SupportStateSnapshot.State;

    /// <summary>The state with its status, last error, pending operations and whether it is settled. Lock-free.</summary>
    public SupportStateSnapshot SupportStateSnapshot => _binding.Session?.SupportStateSnapshot ?? SupportStateSnapshot.Initial;

    /// <summary>The status of the support state.</summary>
    public SupportStateStatus Status => SupportStateSnapshot.Status;

    /// <summary>
    /// The snapshots as an observable: a subscriber gets the current snapshot at once, then every change in order (a
    /// new visitor's too). Bind a Blazor or MAUI page to it; completes when the client is disposed.
    /// </summary>
    public IObservable<SupportStateSnapshot> SupportStateChanges => _feed;

    private bool IsDisposed => Volatile.Read(ref _disposal) is not null;

    /// <summary>Closes the client; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Closes the client: every session it ran (the current one and any being replaced) is disposed and awaited, so no
    /// socket, timer or background task is left; observers complete; an owned HTTP client is disposed.
    /// </summary>
    /// <returns>A task that completes when everything has stopped.</returns>
    public ValueTask DisposeAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _disposal, done.Task, null) is { } running)
        {
            return new ValueTask(running);
        }

        return new ValueTask(DisposeCoreAsync(done));
    }

    private async Task DisposeCoreAsync(TaskCompletionSource done)
    {
        try
        {
            Task[] retiring;
            lock (_bindingGate)
            {
                if (_binding.Session is { } session)
                {
                    Unhook(session);
                    _retiring.Add(session.DisposeAsync().AsTask());
                }

                _binding = _binding with { Session = null };
                retiring = [.. _retiring];
            }

            await Task.WhenAll(retiring).ConfigureAwait(false);
            _feed.Complete();
            if (_ownsRuntime)
            {
                await _runtime.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            done.TrySetResult();
        }
    }

    /// <summary>
    /// Makes <paramref name="context"/> current. A different visitor gets a new session, swapped in atomically; the
    /// old one is disposed, and the returned task completes once it is.
    /// </summary>
    private Task BindAsync(WebsiteContext context)
    {
        CossistantSession? retired = null;
        CossistantSession? started = null;
        Task disposal = Task.CompletedTask;
        lock (_bindingGate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            var previous = _binding;
            if (string.Equals(previous.Context.VisitorId, context.VisitorId, StringComparison.Ordinal))
            {
                if (previous.Session is { } current)
                {
                    current.SetWebsiteId(context.WebsiteId);
                    current.IsBlocked = context.IsBlocked;
                }

                _binding = previous with { Context = context };
            }
            else
            {
                started = context.VisitorId is null ? null : new CossistantSession(_runtime, context.VisitorId, context.WebsiteId) { IsBlocked = context.IsBlocked };
                if (started is not null)
                {
                    started.SupportStateChanged += OnSessionChanged;
                    started.RealtimeConnectionStateChanged += OnSessionRealtimeChanged;
                }

                retired = previous.Session;
                if (retired is not null)
                {
                    Unhook(retired);
                    disposal = retired.DisposeAsync().AsTask();
                    _retiring.RemoveAll(task => task.IsCompleted);
                    _retiring.Add(disposal);
                }

                _binding = new Binding(context, started);
                Forward(started, started?.SupportStateSnapshot ?? SupportStateSnapshot.Initial, null);
            }
        }

        _feed.Drain();
        if (started is not null && !context.IsBlocked && (_realtimeWanted || _runtime.Options.Realtime.AutoConnect))
        {
            started.StartRealtime();
        }

        return disposal;
    }

    private void Unhook(CossistantSession session)
    {
        session.SupportStateChanged -= OnSessionChanged;
        session.RealtimeConnectionStateChanged -= OnSessionRealtimeChanged;
    }

    /// <summary>Relays the current session's changes; a replaced session's late changes are dropped.</summary>
    private void OnSessionChanged(object? sender, SupportStateChangedEventArgs change)
    {
        lock (_bindingGate)
        {
            if (!ReferenceEquals(sender, _binding.Session)
                || (ReferenceEquals(sender, _forwardedFrom) && change.Current.Version <= _forwarded.Version))
            {
                return;
            }

            Forward((CossistantSession)sender!, change.Current, change);
        }

        _feed.Drain();
    }

    /// <summary>Queues the change from what the client showed last to <paramref name="current"/>. Called under the binding gate.</summary>
    private void Forward(CossistantSession? from, SupportStateSnapshot current, SupportStateChangedEventArgs? change)
    {
        _feed.Enqueue(change is not null && ReferenceEquals(change.Previous, _forwarded)
            ? change
            : new SupportStateChangedEventArgs(_forwarded, current));
        _forwarded = current;
        _forwardedFrom = from;
    }

    private void RaiseChanged(SupportStateChangedEventArgs change)
    {
        try
        {
            SupportStateChanged?.Invoke(this, change);
        }
        catch (Exception exception)
        {
            Log.ChangeHandlerFailed(_runtime.Logger, exception);
        }
    }

    /// <summary>The session for a visitor-scoped call; throws before any request when there is none or it is blocked.</summary>
    private CossistantSession RequireSession(string operation)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var binding = _binding;
        if (binding.Session is not { } session)
        {
            throw new InvalidOperationException(
                $"{operation} needs a visitor: call FetchWebsiteAsync first, or SetWebsiteContextAsync(websiteId, visitorId).");
        }

        if (binding.Context.IsBlocked)
        {
            throw new CossistantException(
                $"{operation} refused: the website blocked this visitor.", null, CossistantErrorCodes.VisitorBlocked, null, null);
        }

        return session;
    }

    /// <summary>Website and visitor, replaced as a whole.</summary>
    private sealed record WebsiteContext(string? WebsiteId, string? VisitorId, bool IsBlocked, WebsiteInfo? Website)
    {
        public static readonly WebsiteContext None = new(null, null, false, null);
    }

    /// <summary>The current context and the session of its visitor, replaced as a whole.</summary>
    private sealed record Binding(WebsiteContext Context, CossistantSession? Session)
    {
        public static readonly Binding None = new(WebsiteContext.None, null);
    }
}
