using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// <c>/ws</c>: credentials from headers (or the query parameters upstream also accepts); a refused credential still
/// gets the upgrade, then one error frame with the reason and its code and a 1008 close with that reason (see
/// <see cref="SocketRefusal"/>). Answers <c>ping</c> with <c>pong</c>.
/// </summary>
internal sealed class RealtimeEndpoint(EmulatorData data, SocketHub hub, EmulatorFaults faults, TimeProvider time)
{
    /// <summary>The <c>Retry-After</c> of a refused upgrade when the fault names none: the upstream window.</summary>
    public const int DefaultRetryAfterSeconds = 60;

    private const int MaxClientFrame = 64 * 1024;

    public async Task HandleAsync(HttpContext context, Action<int> record)
    {
        var (refuse, retryAfter) = faults.TakeUpgradeRefusal();
        if (refuse)
        {
            // The upstream upgrade limiter's answer; the REST limiter's text differs.
            var seconds = retryAfter ?? DefaultRetryAfterSeconds;
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            record(429);
            await Responses.Text(context, 429, "Too many WebSocket connection attempts, please try again later.", "text/plain; charset=UTF-8")
                .ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            record(426);
            await Responses.Text(context, 426, "Upgrade Required", "text/plain").ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        var query = request.Query;
        var token = query["token"].ToString();
        var authorization = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString()
            : token.Length > 0 ? "Bearer " + token : null;
        var publicKey = request.Headers["X-Public-Key"].Count > 0 ? request.Headers["X-Public-Key"].ToString() : query["publicKey"].ToString();
        var visitorId = request.Headers["X-Visitor-Id"].Count > 0 ? request.Headers["X-Visitor-Id"].ToString().Trim() : query["visitorId"].ToString();
        var auth = Auth.Check(data, authorization, publicKey, request.Headers.Origin);

        record(101);
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        if (Refusal(auth, visitorId) is { } refusal)
        {
            var frame = Frames.Error(refusal.Error, refusal.Message, refusal.Code);
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, refusal.CloseReason, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var website = auth.Website!;
        if (!auth.IsPrivate)
        {
            // Upstream accepts a never-seen visitor id and creates the visitor; one of another website stays there.
            data.UpsertVisitor(website, visitorId);
        }

        var connection = hub.Add(socket, website.Id, visitorId.Length == 0 ? null : visitorId);
        try
        {
            var connectionId = $"conn_{time.GetUtcNow().ToUnixTimeMilliseconds()}_{connection.Id.ToString("N")[..7]}";
            await connection.TrySendAsync(Frames.Hello(website, connectionId, connection.VisitorId, time.GetUtcNow().ToUnixTimeMilliseconds())).ConfigureAwait(false);
            await ReceiveAsync(connection, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            hub.Remove(connection);
        }
    }

    /// <summary>
    /// The refusal for these credentials, or null to accept: key and Origin first (as on REST), then a public-key
    /// socket needs a visitor id; one that is not a ULID is refused as if it were missing.
    /// </summary>
    private static SocketRefusal? Refusal(AuthResult auth, string visitorId) => auth switch
    {
        { Failure: Auth.ApiKeyRequired } => SocketRefusal.NoCredentials,
        { Failure: { } failure } => SocketRefusal.Rejected(auth.Status, failure),
        { IsPrivate: false } when !Ids.IsUlid(visitorId) => SocketRefusal.IdentificationRequired,
        _ => null,
    };

    private static async Task ReceiveAsync(SocketHub.Connection connection, CancellationToken aborted)
    {
        var buffer = new byte[MaxClientFrame];
        try
        {
            while (connection.Socket.State == WebSocketState.Open)
            {
                var result = await connection.Socket.ReceiveAsync(buffer, aborted).ConfigureAwait(false);
                if (connection.IsFrozen)
                {
                    // A frozen path: what the client sent is lost, and nothing is read or answered from now on.
                    await Task.WhenAny(connection.Released, Task.Delay(Timeout.Infinite, aborted)).ConfigureAwait(false);
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, CancellationToken.None)
                        .ConfigureAwait(false);
                    return;
                }

                var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                var reply = text is "ping" or "presence:ping" ? "pong" : ReplyTo(text);
                await connection.TrySendAsync(reply).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the socket was dropped on purpose.
        }
    }

    /// <summary>Event types the server knows: a client frame of such a type is checked against its payload schema.</summary>
    private static readonly HashSet<string> KnownEventTypes = new(StringComparer.Ordinal)
    {
        "supportStateUpdated", "visitorIdentified", "CONNECTION_ESTABLISHED",
    };

    private static readonly string[] RequiredPayloadStrings = ["websiteId", "organizationId"];

    /// <summary>Clients may only ping: anything else gets an error frame, never a close.</summary>
    private static string ReplyTo(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var type = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("type", out var t)
                ? t.ToString()
                : string.Empty;
            if (KnownEventTypes.Contains(type))
            {
                // Upstream validates the payload of a known type and answers its schema issues (no "message" key).
                var payload = document.RootElement.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
                var missing = RequiredPayloadStrings.FirstOrDefault(name =>
                    payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
                    ?? "state";
                return Frames.Error("Invalid message format", null, null,
                    $"[\n  {{\n    \"code\": \"invalid_type\",\n    \"path\": [\n      \"{missing}\"\n    ],\n    \"message\": \"Invalid input: expected {(missing == "state" ? "object" : "string")}, received undefined\"\n  }}\n]");
            }

            return Frames.Error("Invalid event type", $"Invalid event type: {type}", null);
        }
        catch (JsonException exception)
        {
            return Frames.Error("Invalid message format", null, null, "JSON Parse error: " + exception.Message);
        }
    }
}
