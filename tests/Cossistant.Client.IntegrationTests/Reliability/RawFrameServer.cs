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

namespace Cossistant.Client.IntegrationTests.Reliability;

/// <summary>
/// A minimal realtime server on loopback that can send frames the emulator cannot: binary frames and text frames
/// with bytes that are not UTF-8. It answers <c>GET /v1/support/state</c> (the catch-up fetch) with
/// <see cref="StateJson"/>, greets each socket with <c>CONNECTION_ESTABLISHED</c> and answers <c>ping</c>.
/// </summary>
internal sealed class RawFrameServer : IAsyncDisposable
{
    public const string WebsiteId = "01M89BBY28DNGS7RTEYF8WAPAT";
    public const string OrganizationId = "01M89BBY28ETVB4CZKJQJ1GTPS";
    public const string VisitorId = "01M89BS86B272X41E3XTDC4PR3";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, (WebSocket Socket, SemaphoreSlim Gate)> _sockets = new();
    private int _connections;

    private RawFrameServer(WebApplication app)
    {
        _app = app;
    }

    public Uri ApiUrl { get; private set; } = null!;

    public Uri RealtimeUrl { get; private set; } = null!;

    /// <summary>The body of <c>GET /v1/support/state</c>.</summary>
    public string StateJson { get; set; } = """{"featureFlags":[],"onboarding":{"steps":{}}}""";

    /// <summary>When set, each socket gets this frame and then a close with 1008, as a refused credential does.</summary>
    public string? AuthFailureFrame { get; set; }

    /// <summary>How many sockets were accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public int OpenSockets => _sockets.Count;

    public static async Task<RawFrameServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RawFrameServer(app);
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.ApiUrl = new Uri(address + "/v1");
        server.RealtimeUrl = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
        return server;
    }

    /// <summary>A supportStateUpdated frame for this server's visitor with a state's JSON.</summary>
    public static string Event(string stateJson) =>
        $$"""{"type":"supportStateUpdated","payload":{"websiteId":"{{WebsiteId}}","organizationId":"{{OrganizationId}}","visitorId":"{{VisitorId}}","userId":null,"state":""" + stateJson + "}}";

    /// <summary>Sends raw bytes as one frame of the given type to every open socket; returns how many got it.</summary>
    public async Task<int> SendAsync(byte[] bytes, WebSocketMessageType type)
    {
        var sent = 0;
        foreach (var (socket, gate) in _sockets.Values)
        {
            await gate.WaitAsync();
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);
                    sent++;
                }
            }
            catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
            {
            }
            finally
            {
                gate.Release();
            }
        }

        return sent;
    }

    public Task<int> SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async ValueTask DisposeAsync()
    {
        foreach (var (socket, _) in _sockets.Values)
        {
            socket.Abort();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == "/v1/support/state")
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(StateJson);
            return;
        }

        if (context.Request.Path != "/ws" || !context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 404;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        if (AuthFailureFrame is { } refusal)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(refusal), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Authentication failed", CancellationToken.None);
            return;
        }

        var id = Guid.NewGuid();
        var gate = new SemaphoreSlim(1, 1);
        var number = Interlocked.Increment(ref _connections);
        _sockets[id] = (socket, gate);
        try
        {
            var hello = $$"""{"type":"CONNECTION_ESTABLISHED","payload":{"connectionId":"conn_raw_{{number}}","visitorId":"{{VisitorId}}","organizationId":"{{OrganizationId}}","websiteId":"{{WebsiteId}}","timestamp":1723450000000""" + "}}";
            await SendOneAsync(socket, gate, Encoding.UTF8.GetBytes(hello));
            var buffer = new byte[4096];
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                if (Encoding.UTF8.GetString(buffer, 0, result.Count) == "ping")
                {
                    await SendOneAsync(socket, gate, "pong"u8.ToArray());
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _sockets.TryRemove(id, out _);
        }
    }

    private static async Task SendOneAsync(WebSocket socket, SemaphoreSlim gate, byte[] bytes)
    {
        await gate.WaitAsync();
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
    }
}
