using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cossistant.Client.IntegrationTests.RealtimeServer;

/// <summary>
/// A Kestrel server on loopback that speaks the realtime protocol (and the two REST calls a realtime client makes:
/// <c>GET /v1/websites</c> and <c>GET /v1/support/state</c>), with switches to misbehave on purpose.
/// </summary>
public sealed class RealtimeTestServer : IAsyncDisposable
{
    public const string WebsiteId = "01M89BBY28DNGS7RTEYF8WAPAT";
    public const string OrganizationId = "01M89BBY28ETVB4CZKJQJ1GTPS";
    public const string VisitorId = "01M89BS86B272X41E3XTDC4PR3";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, WebSocket> _sockets = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private int _stateFetches;
    private int _upgradeAttempts;
    private volatile string _stateJson = """{"featureFlags":[],"onboarding":{"steps":{}}}""";

    private RealtimeTestServer(WebApplication app)
    {
        _app = app;
    }

    public Uri ApiUrl { get; private set; } = null!;

    public Uri RealtimeUrl { get; private set; } = null!;

    /// <summary>Answer the text frame <c>ping</c> with <c>pong</c>.</summary>
    public bool AnswerPings { get; set; } = true;

    /// <summary>Send <c>CONNECTION_ESTABLISHED</c> right after the upgrade.</summary>
    public bool SendHello { get; set; } = true;

    /// <summary>When set, each upgrade gets this error frame and then a close with <see cref="AuthFailureCloseStatus"/>.</summary>
    public string? AuthFailureFrame { get; set; }

    public int AuthFailureCloseStatus { get; set; } = 1008;

    /// <summary>When above 0, that many next upgrades are refused with HTTP 429 and <see cref="RetryAfterSeconds"/>.</summary>
    public int RefuseNextUpgrades { get; set; }

    public int? RetryAfterSeconds { get; set; }

    /// <summary>When set, each upgrade is accepted and then closed with this status: no hello, no error frame.</summary>
    public int? CloseAfterUpgradeStatus { get; set; }

    /// <summary>The status <c>PATCH /v1/support/onboarding</c> answers (200: <see cref="OnboardingPatchResponseJson"/> or <see cref="StateJson"/>).</summary>
    public int OnboardingPatchStatus { get; set; } = 200;

    /// <summary>The 200 body of <c>PATCH /v1/support/onboarding</c>; <see langword="null"/> answers <see cref="StateJson"/>.</summary>
    public string? OnboardingPatchResponseJson { get; set; }

    /// <summary>When set, <c>PATCH /v1/support/onboarding</c> waits for this task before it answers (read when the request arrives).</summary>
    public TaskCompletionSource? OnboardingPatchGate { get; set; }

    /// <summary>The body of every <c>PATCH /v1/support/onboarding</c>, recorded when it arrives (before the gate).</summary>
    public ConcurrentQueue<string> OnboardingPatchBodies { get; } = new();

    /// <summary>The close status of every close frame a client sent (a clean close), in order.</summary>
    public ConcurrentQueue<WebSocketCloseStatus?> ReceivedCloses { get; } = new();

    /// <summary>The path and query string of every upgrade request, in order.</summary>
    public ConcurrentQueue<string> UpgradeTargets { get; } = new();

    /// <summary>The headers of every upgrade request, in order.</summary>
    public ConcurrentQueue<IHeaderDictionary> UpgradeRequests { get; } = new();

    /// <summary>Every text frame the clients sent.</summary>
    public ConcurrentQueue<string> ReceivedFrames { get; } = new();

    public int StateFetches => Volatile.Read(ref _stateFetches);

    public int UpgradeAttempts => Volatile.Read(ref _upgradeAttempts);

    public int OpenSockets => _sockets.Count;

    /// <summary>The body <c>GET /v1/support/state</c> answers.</summary>
    public string StateJson
    {
        get => _stateJson;
        set => _stateJson = value;
    }

    public static async Task<RealtimeTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RealtimeTestServer(app);
        app.UseWebSockets();
        app.MapGet("/v1/websites", (HttpContext context) => Results.Text(
            $$$"""{"id":"{{{WebsiteId}}}","name":"Test","domain":"example.test","organizationId":"{{{OrganizationId}}}","status":"active","defaultLanguage":"en","visitor":{"id":"{{{VisitorId}}}","isBlocked":false,"language":null,"contact":null}}""",
            "application/json"));
        app.MapGet("/v1/support/state", () =>
        {
            Interlocked.Increment(ref server._stateFetches);
            return Results.Text(server._stateJson, "application/json");
        });
        app.MapMethods("/v1/support/onboarding", ["PATCH"], server.HandleOnboardingPatchAsync);
        app.Map("/ws", server.HandleSocketAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.ApiUrl = new Uri(address + "/v1");
        server.RealtimeUrl = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
        return server;
    }

    /// <summary>A <c>supportStateUpdated</c> frame for a visitor (this server's by default).</summary>
    public static string SupportStateUpdated(string stateJson, string visitorId = VisitorId, string websiteId = WebsiteId) =>
        $$$"""{"type":"supportStateUpdated","payload":{"websiteId":"{{{websiteId}}}","organizationId":"{{{OrganizationId}}}","visitorId":"{{{visitorId}}}","userId":null,"state":{{{stateJson}}}}}""";

    /// <summary>Sends a text frame to every open socket.</summary>
    public Task BroadcastAsync(string text) => BroadcastAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    /// <summary>Sends a frame of any type (e.g. binary garbage) to every open socket.</summary>
    public async Task BroadcastAsync(byte[] data, WebSocketMessageType type)
    {
        foreach (var socket in _sockets.Values)
        {
            await SendAsync(socket, data, type);
        }
    }

    /// <summary>Aborts every open socket without a close handshake (a dropped network).</summary>
    public void DropAll()
    {
        foreach (var (id, socket) in _sockets)
        {
            socket.Abort();
            _sockets.TryRemove(id, out _);
        }
    }

    /// <summary>Closes every open socket with a close code.</summary>
    public async Task CloseAllAsync(WebSocketCloseStatus status, string reason)
    {
        foreach (var (id, socket) in _sockets)
        {
            await socket.CloseOutputAsync(status, reason, CancellationToken.None);
            _sockets.TryRemove(id, out _);
        }
    }

    /// <summary>Waits (real time, bounded) until a condition holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        DropAll();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleSocketAsync(HttpContext context)
    {
        Interlocked.Increment(ref _upgradeAttempts);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        UpgradeRequests.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
        UpgradeTargets.Enqueue(context.Request.Path.Value + context.Request.QueryString.Value);
        if (RefuseNextUpgrades > 0)
        {
            RefuseNextUpgrades--;
            context.Response.StatusCode = 429;
            if (RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await context.Response.WriteAsync("Too many requests, please try again later.");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        if (AuthFailureFrame is { } failure)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(failure), WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.CloseAsync((WebSocketCloseStatus)AuthFailureCloseStatus, "Authentication failed", CancellationToken.None);
            return;
        }

        if (CloseAfterUpgradeStatus is { } closeStatus)
        {
            await socket.CloseAsync((WebSocketCloseStatus)closeStatus, "closed by the test server", CancellationToken.None);
            return;
        }

        var id = Guid.NewGuid();
        if (SendHello)
        {
            var hello = $$$"""{"type":"CONNECTION_ESTABLISHED","payload":{"connectionId":"conn_{{{id:N}}}","visitorId":"{{{VisitorId}}}","organizationId":"{{{OrganizationId}}}","websiteId":"{{{WebsiteId}}}","timestamp":1723450000000}}""";
            await SendAsync(socket, Encoding.UTF8.GetBytes(hello), WebSocketMessageType.Text);
        }

        _sockets[id] = socket;
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ReceivedCloses.Enqueue(result.CloseStatus);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    break;
                }

                var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                ReceivedFrames.Enqueue(text);
                if (AnswerPings && text is "ping" or "presence:ping")
                {
                    await SendAsync(socket, "pong"u8.ToArray(), WebSocketMessageType.Text);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The socket was dropped on purpose or the client went away.
        }
        finally
        {
            _sockets.TryRemove(id, out _);
        }
    }

    private async Task SendAsync(WebSocket socket, byte[] data, WebSocketMessageType type)
    {
        // One send at a time: a test's broadcast may race the pong of the receive loop.
        await _sendGate.WaitAsync();
        try
        {
            await socket.SendAsync(data, type, true, CancellationToken.None);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async Task HandleOnboardingPatchAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        OnboardingPatchBodies.Enqueue(await reader.ReadToEndAsync());
        if (OnboardingPatchGate is { } gate)
        {
            await gate.Task;
        }

        var status = OnboardingPatchStatus;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(status == 200
            ? OnboardingPatchResponseJson ?? _stateJson
            : """{"error":"INTERNAL_SERVER_ERROR","message":"Onboarding update failed"}""");
    }
}
