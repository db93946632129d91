using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Cossistant.Client.Threading;
using Microsoft.Extensions.Logging;
using Websocket.Client;

namespace Cossistant.Client.Realtime;

internal sealed partial class RealtimeConnection
{
    /// <summary>How long a stop waits for the server to answer its close frame before the socket is aborted.</summary>
    internal static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs one connection from the upgrade to its end. However the connection ends, the socket is aborted when this
    /// returns: only a stop (dispose or disconnect) tries a polite close first, bounded by <see cref="CloseTimeout"/>,
    /// because a close handshake never completes on a path that stopped forwarding.
    /// </summary>
    private async Task<SessionEnd> RunSessionAsync(string? visitorId, CancellationToken stop)
    {
        UpgradeFailure? upgradeFailure = null;
        var session = new Session(this);
        var client = new WebsocketClient(_options.RealtimeUrl, null, async (uri, token) =>
        {
            var socket = new ClientWebSocket();
            var inQuery = _realtime.CredentialsInQuery;
            if (!inQuery)
            {
                UpgradeAnswer.Collect(socket.Options);
                ApplyCredentialHeaders(socket.Options, visitorId);
            }

            using var timeout = Timing.CancelAfter(_time, _realtime.ConnectTimeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token, stop);
            try
            {
                await socket.ConnectAsync(inQuery ? WithQueryCredentials(uri, visitorId) : uri, linked.Token).ConfigureAwait(false);
                return socket;
            }
            catch (Exception exception)
            {
                var (status, retryAfter) = inQuery ? (0, null) : UpgradeAnswer.Read(socket, exception); // a browser tells nothing of the HTTP answer
                upgradeFailure = new UpgradeFailure(status, retryAfter, exception, timeout.IsCancellationRequested);
                socket.Dispose();
                throw;
            }
        })
        {
            IsReconnectionEnabled = false,
            ReconnectTimeout = null,
            ErrorReconnectTimeout = null,
            LostReconnectTimeout = null,
            Name = "cossistant-realtime",

            // Text frames arrive as their UTF-8 bytes: parsed directly, never decoded to a string and re-encoded.
            IsTextMessageConversionEnabled = false,
        };

        try
        {
            using var messages = client.MessageReceived.Subscribe(session.OnMessage);
            using var disconnections = client.DisconnectionHappened.Subscribe(session.OnDisconnected);
            try
            {
                // Awaited to its end (a stop cancels the upgrade itself), so no start is left running on a disposed client.
                await client.StartOrFail().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                stop.ThrowIfCancellationRequested();
                return FromUpgradeFailure(upgradeFailure, exception);
            }

            session.MarkOpen();
            using var heartbeat = _time.CreateTimer(_ => session.Heartbeat(client), null, _realtime.PingInterval, _realtime.PingInterval);
            try
            {
                return await session.Ended.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                await CloseQuietlyAsync(client).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            // Aborts the socket: returns at once whatever the network does. A dead or refused connection is never
            // closed politely (the handshake would wait on a path that may forward nothing).
            client.Dispose();
        }
    }

    /// <summary>Sends a close frame and waits for the server's answer at most <see cref="CloseTimeout"/>.</summary>
    private async Task CloseQuietlyAsync(WebsocketClient client)
    {
        var close = client.Stop(WebSocketCloseStatus.NormalClosure, "client closing");
        try
        {
            await close.WaitAsync(CloseTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogCloseTimedOut(_logger, CloseTimeout);
            _ = close.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private void ApplyCredentialHeaders(ClientWebSocketOptions socket, string? visitorId)
    {
        // Credentials go in headers, never in the URL, wherever headers can be set.
        if (!string.IsNullOrEmpty(_options.PrivateApiKey))
        {
            socket.SetRequestHeader("Authorization", "Bearer " + _options.PrivateApiKey);
            if (!string.IsNullOrEmpty(_options.ActorUserId))
            {
                socket.SetRequestHeader("X-Actor-User-Id", _options.ActorUserId);
            }
        }
        else if (!string.IsNullOrEmpty(_options.PublicKey))
        {
            socket.SetRequestHeader("X-Public-Key", _options.PublicKey);
        }

        if (visitorId is not null)
        {
            socket.SetRequestHeader("X-Visitor-Id", visitorId);
        }

        if (!string.IsNullOrWhiteSpace(_options.Origin))
        {
            socket.SetRequestHeader("Origin", _options.Origin);
        }
    }

    /// <summary>
    /// A browser's WebSocket can carry no header, so there the credentials go in the query (the names the server reads:
    /// <c>publicKey</c>, <c>visitorId</c>; <c>token</c>, <c>actorUserId</c> for a private key), and the browser sends its
    /// own <c>Origin</c>. The URL is never logged.
    /// </summary>
    private Uri WithQueryCredentials(Uri uri, string? visitorId)
    {
        var query = new List<string>(3);
        if (!string.IsNullOrEmpty(_options.PrivateApiKey))
        {
            query.Add("token=" + Uri.EscapeDataString(_options.PrivateApiKey));
            if (!string.IsNullOrEmpty(_options.ActorUserId))
            {
                query.Add("actorUserId=" + Uri.EscapeDataString(_options.ActorUserId));
            }
        }
        else if (!string.IsNullOrEmpty(_options.PublicKey))
        {
            query.Add("publicKey=" + Uri.EscapeDataString(_options.PublicKey));
        }

        if (visitorId is not null)
        {
            query.Add("visitorId=" + Uri.EscapeDataString(visitorId));
        }

        return new UriBuilder(uri) { Query = string.Join("&", query) }.Uri;
    }

    private SessionEnd FromUpgradeFailure(UpgradeFailure? failure, Exception exception)
    {
        var status = failure?.StatusCode is > 0 and var code ? code : (int?)null;
        var cause = failure?.Exception ?? exception;
        var message = status switch
        {
            429 => "The server refused the realtime upgrade with HTTP 429 (too many connection attempts).",
            401 or 403 => $"The server refused the realtime credentials with HTTP {status}.",
            { } other => $"The realtime upgrade failed with HTTP {other}.",
            null when failure?.TimedOut == true => $"The realtime upgrade timed out after {_realtime.ConnectTimeout}.",
            null => "Could not connect the realtime socket: " + _scrubber.Scrub(cause.Message),
        };
        var error = new CossistantRealtimeException(message, null, status, null, null, cause);
        TimeSpan? retryAfter = status == 429 ? failure?.RetryAfter ?? _backoff.Ceiling(4) : null;
        return new SessionEnd(false, status is 401 or 403, error, retryAfter);
    }

    [LoggerMessage(20, LogLevel.Information, "Realtime connection established ({ConnectionId})")]
    private static partial void LogConnected(ILogger logger, string? connectionId);

    [LoggerMessage(21, LogLevel.Warning, "Realtime reconnect in {Delay} ({Reason})")]
    private static partial void LogReconnecting(ILogger logger, TimeSpan delay, string? reason);

    [LoggerMessage(22, LogLevel.Error, "Realtime connection refused for good, not retrying: {Reason}")]
    private static partial void LogPermanentFailure(ILogger logger, string reason);

    [LoggerMessage(23, LogLevel.Warning, "Skipped a malformed realtime frame: {Reason}")]
    private static partial void LogMalformedFrame(ILogger logger, string reason);

    [LoggerMessage(24, LogLevel.Warning, "Skipped a realtime frame of {Bytes} bytes (limit {Limit})")]
    private static partial void LogOversizedFrame(ILogger logger, long bytes, int limit);

    [LoggerMessage(25, LogLevel.Warning, "Realtime error frame: {Error} {Message}")]
    private static partial void LogErrorFrame(ILogger logger, string? error, string? message);

    [LoggerMessage(26, LogLevel.Warning, "No realtime frame for {Timeout}: the connection is treated as dead and aborted")]
    private static partial void LogDeadConnection(ILogger logger, TimeSpan timeout);

    [LoggerMessage(29, LogLevel.Debug, "The server did not answer the close frame within {Timeout}: the socket was aborted")]
    private static partial void LogCloseTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(27, LogLevel.Error, "The realtime loop failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(28, LogLevel.Error, "A realtime frame handler threw")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception);

    private sealed record UpgradeFailure(int StatusCode, TimeSpan? RetryAfter, Exception Exception, bool TimedOut);

    /// <summary>The per-connection state: frames seen, liveness, and how the connection ended.</summary>
    private sealed class Session(RealtimeConnection owner)
    {
        private readonly TaskCompletionSource<SessionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _lastFrameTicks = owner._time.GetUtcNow().UtcTicks;
        private volatile bool _connected;

        public Task<SessionEnd> Ended => _ended.Task;

        public void MarkOpen() => Interlocked.Exchange(ref _lastFrameTicks, owner._time.GetUtcNow().UtcTicks);

        public void OnMessage(ResponseMessage message)
        {
            Interlocked.Exchange(ref _lastFrameTicks, owner._time.GetUtcNow().UtcTicks);
            try
            {
                var frame = Parse(message);
                if (frame is not null)
                {
                    Handle(frame);
                }
            }
            catch (JsonException exception)
            {
                LogMalformedFrame(owner._logger, exception.Message);
            }
            catch (Exception exception)
            {
                LogHandlerFailed(owner._logger, exception);
            }
        }

        public void OnDisconnected(DisconnectionInfo info)
        {
            var code = (int?)info.CloseStatus;
            var reason = owner._scrubber.Scrub(info.CloseStatusDescription);
            if (code is 1008 or 1011)
            {
                _ended.TrySetResult(new SessionEnd(_connected, true, new CossistantRealtimeException(
                    $"The server closed the realtime connection with {code}{(string.IsNullOrEmpty(reason) ? string.Empty : $" ({reason})")}: the credentials were refused.",
                    code, null, null, reason, info.Exception)));
                return;
            }

            _ended.TrySetResult(new SessionEnd(_connected, false, new CossistantRealtimeException(
                $"The realtime connection was lost ({info.Type}{(code is null ? string.Empty : $", close {code}")}).",
                code, null, null, reason, info.Exception)));
        }

        public void Heartbeat(WebsocketClient client)
        {
            var silent = owner._time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastFrameTicks), TimeSpan.Zero);
            if (silent >= owner._realtime.DeadConnectionTimeout)
            {
                LogDeadConnection(owner._logger, owner._realtime.DeadConnectionTimeout);
                _ended.TrySetResult(new SessionEnd(_connected, false, new CossistantRealtimeException(
                    $"No realtime frame for {owner._realtime.DeadConnectionTimeout}: the connection was treated as dead and aborted.",
                    null, null, null, null)));
                return;
            }

            client.Send("ping");
        }

        private RealtimeFrame? Parse(ResponseMessage message)
        {
            var limit = owner._realtime.MaxFrameBytes;
            if (message.MessageType == WebSocketMessageType.Binary)
            {
                var bytes = message.Binary ?? [];
                if (bytes.Length > limit)
                {
                    LogOversizedFrame(owner._logger, bytes.Length, limit);
                    return null;
                }

                return RealtimeFrameParser.Parse(bytes);
            }

            var text = message.Text ?? string.Empty;
            if (text.Length > limit / 3 && Encoding.UTF8.GetByteCount(text) is var size && size > limit)
            {
                LogOversizedFrame(owner._logger, size, limit);
                return null;
            }

            return RealtimeFrameParser.Parse(text);
        }

        private void Handle(RealtimeFrame frame)
        {
            switch (frame)
            {
                case RealtimeFrame.Hello hello:
                    _connected = true;
                    LogConnected(owner._logger, hello.ConnectionId);
                    owner.Publish(RealtimeConnectionStatus.Connected, null, false, hello.ConnectionId, 0, null);
                    owner._onConnected();
                    break;
                case RealtimeFrame.Error { IsAuthenticationFailure: true } error:
                    var kind = owner._scrubber.Scrub(error.Kind);
                    var reason = owner._scrubber.Scrub(error.Message);
                    _ended.TrySetResult(new SessionEnd(_connected, true, new CossistantRealtimeException(
                        $"The server refused the realtime credentials: {kind}: {reason}", null, error.Code, kind, reason)));
                    break;
                case RealtimeFrame.Error error:
                    LogErrorFrame(owner._logger, owner._scrubber.Scrub(error.Kind), owner._scrubber.Scrub(error.Message ?? error.Details));
                    break;
                case RealtimeFrame.Pong:
                    break;
                default:
                    owner._onFrame(frame);
                    break;
            }
        }
    }
}
