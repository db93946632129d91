using Cossistant.Client.Testing.Internal;

namespace Cossistant.Client.Testing;

/// <summary>
/// Fault injection: make the emulator fail, slow down, refuse socket upgrades, drop sockets, or push stale and
/// duplicate events, to test how an app copes. Every switch counts down and then turns itself off.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly object _gate = new();
    private readonly CossistantEmulator _emulator;
    private int _failCount;
    private int _failStatus;
    private string _failBody = string.Empty;
    private string _failContentType = "text/plain";
    private string? _failPathPrefix;
    private int _delayCount;
    private TimeSpan _delay;
    private int _refuseCount;
    private int? _refuseRetryAfter;

    internal EmulatorFaults(CossistantEmulator emulator)
    {
        _emulator = emulator;
    }

    /// <summary>The next <paramref name="count"/> REST requests (under <paramref name="pathPrefix"/>, e.g. <c>/v1/support</c>) answer with this status and body.</summary>
    /// <param name="count">How many requests.</param>
    /// <param name="statusCode">The status, e.g. 503.</param>
    /// <param name="body">The body; default a short text.</param>
    /// <param name="contentType">The content type; default <c>text/plain</c>.</param>
    /// <param name="pathPrefix">Only requests whose path starts with this; default every REST request.</param>
    public void FailNextRequests(int count, int statusCode, string? body = null, string contentType = "text/plain", string? pathPrefix = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        lock (_gate)
        {
            (_failCount, _failStatus, _failBody, _failContentType, _failPathPrefix) =
                (count, statusCode, body ?? $"Injected failure {statusCode}", contentType, pathPrefix);
        }
    }

    /// <summary>The next <paramref name="count"/> REST requests wait <paramref name="delay"/> (real time) before being handled.</summary>
    /// <param name="count">How many requests.</param>
    /// <param name="delay">The delay.</param>
    public void DelayNextRequests(int count, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            (_delayCount, _delay) = (count, delay);
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> socket upgrades are refused as the upstream rate limit does: HTTP 429 before
    /// the upgrade, <c>text/plain; charset=UTF-8</c>, a <c>Retry-After</c> header and the body
    /// <c>Too many WebSocket connection attempts, please try again later.</c>
    /// </summary>
    /// <param name="count">How many upgrades.</param>
    /// <param name="retryAfterSeconds">The <c>Retry-After</c> header in seconds; default 60 (the upstream window).</param>
    public void RefuseNextUpgrades(int count, int? retryAfterSeconds = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            (_refuseCount, _refuseRetryAfter) = (count, retryAfterSeconds);
        }
    }

    /// <summary>Aborts every open socket without a close handshake (a network drop).</summary>
    /// <returns>How many sockets were dropped.</returns>
    public int DropAllSockets() => _emulator.Hub.DropAll();

    /// <summary>
    /// Freezes open sockets as a network path that stops forwarding does (a NAT timeout, a sleeping laptop, a frozen
    /// proxy): the TCP connection stays open, but from now on nothing is delivered either way: no events, no
    /// <c>pong</c>, no answer to a close frame. Only the client's own silence timer can notice. New sockets are not
    /// affected.
    /// </summary>
    /// <param name="visitorId">Only this visitor's sockets; default every open socket.</param>
    /// <returns>How many sockets were frozen.</returns>
    public int FreezeSockets(string? visitorId = null) => _emulator.Hub.Freeze(visitorId);

    /// <summary>Pushes a <c>supportStateUpdated</c> with any state (e.g. a stale one) to a visitor's sockets.</summary>
    /// <param name="visitorId">The visitor.</param>
    /// <param name="state">The state to claim.</param>
    /// <returns>How many sockets got it.</returns>
    public Task<int> PushStateAsync(string visitorId, SupportState state) => _emulator.PushStateAsync(visitorId, state);

    /// <summary>Sends the visitor's last event again.</summary>
    /// <param name="visitorId">The visitor.</param>
    /// <returns>How many sockets got it (0 when there was no event yet).</returns>
    public Task<int> PushDuplicateAsync(string visitorId) =>
        _emulator.Hub.LastEventFor(visitorId) is { } frame ? _emulator.SendToVisitorAsync(visitorId, frame, remember: true) : Task.FromResult(0);

    /// <summary>Sends any text frame (garbage, unknown events, oversized frames) to a visitor's sockets.</summary>
    /// <param name="visitorId">The visitor.</param>
    /// <param name="frame">The frame text.</param>
    /// <returns>How many sockets got it.</returns>
    public Task<int> PushRawAsync(string visitorId, string frame) => _emulator.SendToVisitorAsync(visitorId, frame, remember: false);

    internal (int Status, string Body, string ContentType)? TakeFailure(string path)
    {
        lock (_gate)
        {
            if (_failCount == 0 || (_failPathPrefix is not null && !path.StartsWith(_failPathPrefix, StringComparison.Ordinal)))
            {
                return null;
            }

            _failCount--;
            return (_failStatus, _failBody, _failContentType);
        }
    }

    internal TimeSpan? TakeDelay()
    {
        lock (_gate)
        {
            if (_delayCount == 0)
            {
                return null;
            }

            _delayCount--;
            return _delay;
        }
    }

    internal (bool Refuse, int? RetryAfter) TakeUpgradeRefusal()
    {
        lock (_gate)
        {
            if (_refuseCount == 0)
            {
                return (false, null);
            }

            _refuseCount--;
            return (true, _refuseRetryAfter);
        }
    }

}
