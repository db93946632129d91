using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Cossistant.Client.IntegrationTests.Emulator;
using Cossistant.Client.Testing;

namespace Cossistant.Client.IntegrationTests.TestingKit;

/// <summary>Typed onboarding metadata of the testing-kit tests.</summary>
internal sealed record SeatsMetadata(string WorkspaceName, int Seats);

/// <summary>
/// Snake case on purpose: reflection with the web defaults would write <c>workspaceName</c>, so a seeded
/// <c>workspace_name</c> proves the step's own type info serialized it.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SeatsMetadata))]
internal sealed partial class KitJsonContext : JsonSerializerContext;

/// <summary>The declared flags and steps of the testing-kit tests, and their shared bounds.</summary>
internal static class KitSupport
{
    public static readonly FeatureFlag NewMessage = new("new-message");
    public static readonly FeatureFlag BillingV2 = new("billing-v2");
    public static readonly OnboardingStep<SeatsMetadata> Workspace = new("workspace", KitJsonContext.Default.SeatsMetadata, isFirst: true);
    public static readonly OnboardingStep InviteTeam = new("invite-team");
    public static readonly OnboardingStep Done = new("done", isLast: true);
    public static readonly SupportConfig Config = SupportConfig.Create([NewMessage, BillingV2], [Workspace, InviteTeam, Done]);

    /// <summary>Only turns a hang into a failure.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary><c>GET /v1/support/state</c> as the visitor's browser sends it, without the SDK.</summary>
    public static Task<RawResponse> GetStateAsync(CossistantEmulator emulator, string visitorId) =>
        EmulatorTestKit.SendAsync(HttpMethod.Get, EmulatorTestKit.Api(emulator, "/support/state"), EmulatorTestKit.VisitorHeaders(emulator, visitorId));

    /// <summary>Public-key options for the emulator's default website with the kit's config.</summary>
    public static CossistantClientOptions VisitorOptions(CossistantEmulator emulator)
    {
        var options = emulator.CreateClientOptions();
        options.Support = Config;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        return options;
    }
}

/// <summary>
/// A raw visitor socket that hands out its frames as they arrive (a channel, no polling), for frame-level assertions.
/// </summary>
internal sealed class FrameListener : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    private FrameListener(ClientWebSocket socket)
    {
        _socket = socket;
        _pump = Task.Run(PumpAsync, CancellationToken.None);
    }

    /// <summary>Connects as the visitor (public key, allowlisted Origin) and waits for the hello.</summary>
    public static async Task<FrameListener> ConnectAsync(CossistantEmulator emulator, string visitorId)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Public-Key", emulator.DefaultWebsite.PublicKey);
        socket.Options.SetRequestHeader("Origin", CossistantEmulator.DefaultOrigin);
        socket.Options.SetRequestHeader("X-Visitor-Id", visitorId);
        await socket.ConnectAsync(emulator.RealtimeUrl, KitSupport.Ct);
        var listener = new FrameListener(socket);
        await listener.NextAsync("CONNECTION_ESTABLISHED");
        return listener;
    }

    /// <summary>The next frame of this type (earlier frames of other types are skipped), within the bound.</summary>
    public async Task<JsonElement> NextAsync(string type)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(KitSupport.Ct);
        bound.CancelAfter(KitSupport.Bound);
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(bound.Token);
                using var document = JsonDocument.Parse(frame);
                if (document.RootElement.TryGetProperty("type", out var found) && found.GetString() == type)
                {
                    return document.RootElement.Clone();
                }
            }
        }
        catch (OperationCanceledException) when (!KitSupport.Ct.IsCancellationRequested)
        {
            throw new TimeoutException($"No \"{type}\" frame arrived within {KitSupport.Bound.TotalSeconds} s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _pump;
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    await _frames.Writer.WriteAsync(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length), _stop.Token);
                    message.SetLength(0);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed or stopped.
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
