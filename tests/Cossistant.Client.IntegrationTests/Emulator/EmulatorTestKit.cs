using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cossistant.Client.Testing;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>Typed onboarding metadata for the emulator tests (serialized through <see cref="EmulatorTestJsonContext"/>).</summary>
internal sealed record WorkspaceMetadata(string WorkspaceName, int Seats);

/// <summary>Source-generated JSON for the typed onboarding step: no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WorkspaceMetadata))]
internal sealed partial class EmulatorTestJsonContext : JsonSerializerContext;

/// <summary>The app's declared flags and steps, as a user of the SDK would write them.</summary>
internal static class EmulatorSupport
{
    public static readonly FeatureFlag NewMessage = new("new-message");
    public static readonly FeatureFlag BillingV2 = new("billing-v2");
    public static readonly OnboardingStep<WorkspaceMetadata> Workspace =
        new("workspace", EmulatorTestJsonContext.Default.WorkspaceMetadata, isFirst: true);

    public static readonly OnboardingStep InviteTeam = new("invite-team");
    public static readonly OnboardingStep Done = new("done", isLast: true);
    public static readonly SupportConfig Config = SupportConfig.Create([NewMessage, BillingV2], [Workspace, InviteTeam, Done]);
}

/// <summary>A raw HTTP answer: status, body text and headers.</summary>
internal sealed record RawResponse(int Status, string Body, string? ContentType, HttpResponseHeaders Headers)
{
    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

/// <summary>Shared set-up of the emulator tests: clients, raw requests and sockets, bounded waits.</summary>
internal static class EmulatorTestKit
{
    /// <summary>How long a "nothing arrives" check watches after a positive control event arrived.</summary>
    public const int QuietWindowMs = 500;

    public const string OriginRequired =
        "Origin header is required for public key authentication. This API key can only be used from browser environments.";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Public-key options for the default website with fast realtime reconnects.</summary>
    public static CossistantClientOptions VisitorOptions(CossistantEmulator emulator, string? origin = null)
    {
        var options = emulator.CreateClientOptions();
        options.Support = EmulatorSupport.Config;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Realtime.ReconnectBaseDelay = TimeSpan.FromMilliseconds(50);
        options.Realtime.ReconnectMaxDelay = TimeSpan.FromMilliseconds(400);
        if (origin is not null)
        {
            options.Origin = origin;
        }

        return options;
    }

    /// <summary>A server-side (private key) client for the default website.</summary>
    public static CossistantClient ServerClient(CossistantEmulator emulator)
    {
        var options = emulator.CreateClientOptions(privateKey: true);
        options.Retry.MaxRetryAttempts = 0;
        return new CossistantClient(options);
    }

    /// <summary>A stateless server client (private key) for the default website.</summary>
    public static CossistantServerClient ServerApi(CossistantEmulator emulator)
    {
        var options = emulator.CreateClientOptions(privateKey: true);
        options.Retry.MaxRetryAttempts = 0;
        return new CossistantServerClient(options);
    }

    /// <summary>A new visitor client that already ran <c>FetchWebsiteAsync</c> (so the emulator created its visitor).</summary>
    public static async Task<CossistantClient> NewVisitorAsync(CossistantEmulator emulator)
    {
        var client = new CossistantClient(VisitorOptions(emulator));
        await client.FetchWebsiteAsync(Ct);
        Assert.NotNull(client.VisitorId);
        return client;
    }

    /// <summary>How many <c>GET /v1/support/state</c> the emulator recorded for a visitor.</summary>
    public static int StateFetches(CossistantEmulator emulator, string visitorId) =>
        emulator.Requests.Count(request => request.Method == "GET" && request.Path == "/v1/support/state"
            && request.Header("X-Visitor-Id") == visitorId);

    /// <summary>Connects the client's socket and waits until its catch-up fetch has been answered and applied.</summary>
    public static async Task ConnectAndSettleAsync(CossistantEmulator emulator, CossistantClient client)
    {
        var visitorId = client.VisitorId!;
        var before = StateFetches(emulator, visitorId);
        await client.ConnectRealtimeAsync(Ct);
        await WaitUntilAsync(
            () => StateFetches(emulator, visitorId) > before
                && client.SupportStateSnapshot.IsSettled
                && client.Status == SupportStateStatus.Success
                && emulator.OpenSocketsFor(visitorId) >= 1,
            () => $"the realtime catch-up fetch of {visitorId} was answered and applied (fetches {before} -> {StateFetches(emulator, visitorId)}, "
                + $"status {client.Status}, error {client.SupportStateSnapshot.Error?.Message}, sockets {emulator.OpenSocketsFor(visitorId)}, "
                + $"realtime {client.RealtimeConnectionState}, requests [{string.Join(", ", emulator.Requests.Select(r => $"{r.Method} {r.Path} {r.StatusCode}"))}])");
    }

    /// <summary>Every change the client announced, in order.</summary>
    public static ConcurrentQueue<SupportStateChangedEventArgs> RecordChanges(CossistantClient client)
    {
        var changes = new ConcurrentQueue<SupportStateChangedEventArgs>();
        client.SupportStateChanged += (_, change) => changes.Enqueue(change);
        return changes;
    }

    /// <summary>Polls (10 ms) until the condition holds; fails the test after <paramref name="timeoutMs"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 5000) =>
        WaitUntilAsync(condition, () => what, timeoutMs);

    /// <summary>Polls (10 ms) until the condition holds; fails with a description built at the time of failure.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, Func<string> what, int timeoutMs = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"Timed out after {timeoutMs} ms waiting until {what()}.");
            }

            await Task.Delay(10, Ct);
        }
    }

    /// <summary>Waits until the client's state equals what the emulator would answer for its visitor, then asserts it.</summary>
    public static async Task AssertInSyncAsync(CossistantEmulator emulator, CossistantClient client, string when)
    {
        var visitorId = client.VisitorId!;
        await WaitUntilAsync(() => client.SupportState.Equals(emulator.GetSupportState(visitorId)), $"the client is in sync after {when}");
        Assert.Equal(emulator.GetSupportState(visitorId), client.SupportState);
    }

    /// <summary>A "nothing else arrives" window, only ever used after a positive control has arrived.</summary>
    public static Task QuietWindowAsync() => Task.Delay(QuietWindowMs, Ct);

    /// <summary>Sends a request without the SDK.</summary>
    public static async Task<RawResponse> SendAsync(
        HttpMethod method, Uri url, IEnumerable<KeyValuePair<string, string>>? headers = null, string? body = null,
        string? contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        foreach (var (name, value) in headers ?? [])
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), "header " + name);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        using var response = await Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return new RawResponse((int)response.StatusCode, text, response.Content.Headers.ContentType?.MediaType, response.Headers);
    }

    /// <summary>A REST URL under <see cref="CossistantEmulator.ApiUrl"/>.</summary>
    public static Uri Api(CossistantEmulator emulator, string path) => new(emulator.ApiUrl.AbsoluteUri.TrimEnd('/') + path);

    /// <summary>The headers a browser visitor sends: public key, allowlisted Origin, and the visitor id when given.</summary>
    public static List<KeyValuePair<string, string>> VisitorHeaders(CossistantEmulator emulator, string? visitorId = null)
    {
        List<KeyValuePair<string, string>> headers =
        [
            new("X-Public-Key", emulator.DefaultWebsite.PublicKey),
            new("Origin", CossistantEmulator.DefaultOrigin),
        ];
        if (visitorId is not null)
        {
            headers.Add(new("X-Visitor-Id", visitorId));
        }

        return headers;
    }

    /// <summary>The server-side header: <c>Authorization: Bearer sk_...</c>.</summary>
    public static List<KeyValuePair<string, string>> PrivateHeaders(CossistantEmulator emulator) =>
        [new("Authorization", "Bearer " + emulator.DefaultWebsite.PrivateApiKey)];

    /// <summary>Asserts two JSON texts are the same JSON value (key order ignored).</summary>
    public static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected JSON {expected}\nactual JSON   {actual}");

    /// <summary>Asserts the upstream validation shape and returns the issues (the <c>error.message</c> JSON text, parsed).</summary>
    public static JsonArray AssertZodError(RawResponse response)
    {
        Assert.Equal(400, response.Status);
        Assert.Equal("application/json", response.ContentType);
        var root = JsonNode.Parse(response.Body)!.AsObject();
        Assert.False(root["success"]!.GetValue<bool>());
        var error = root["error"]!.AsObject();
        Assert.Equal("ZodError", error["name"]!.GetValue<string>());
        var issues = JsonNode.Parse(error["message"]!.GetValue<string>())!.AsArray();
        Assert.NotEmpty(issues);
        foreach (var issue in issues)
        {
            Assert.NotNull(issue!["message"]?.GetValue<string>());
            Assert.NotNull(issue["path"]?.AsArray());
        }

        return issues;
    }

    /// <summary>The <c>type</c> of a JSON frame, or null for a non-JSON frame or one without a type.</summary>
    public static string? FrameType(string frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The shared vectors: the team's spec copy beside the repository when present, else the repository's copy.</summary>
    public static JsonElement Vectors(string section)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Cossistant.Client.sln")))
            {
                continue;
            }

            var shared = Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared", "spec", "vectors.json");
            var bundled = Path.Combine(dir.FullName, "tests", "Cossistant.Client.Tests", "Vectors", "vectors.json");
            using var document = JsonDocument.Parse(File.ReadAllText(File.Exists(shared) ? shared : bundled));
            return document.RootElement.GetProperty(section).Clone();
        }

        throw new InvalidOperationException("Cossistant.Client.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// A raw <see cref="ClientWebSocket"/> that records every text frame and the close, for frame-level assertions the
/// SDK would hide (it drops events meant for other visitors).
/// </summary>
internal sealed class RawSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentQueue<string> _frames = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    private RawSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _pump = Task.Run(PumpAsync, CancellationToken.None);
    }

    public IReadOnlyList<string> Frames => [.. _frames];

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public bool Closed { get; private set; }

    public int HttpStatus { get; private init; }

    public int SupportStateUpdates => Frames.Count(frame => EmulatorTestKit.FrameType(frame) == "supportStateUpdated");

    public static async Task<RawSocket> ConnectAsync(Uri url, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        await socket.ConnectAsync(url, EmulatorTestKit.Ct);
        return new RawSocket(socket) { HttpStatus = (int)socket.HttpStatusCode };
    }

    /// <summary>A visitor tab: connects with the visitor's headers and waits for the hello.</summary>
    public static async Task<RawSocket> ConnectVisitorAsync(CossistantEmulator emulator, string visitorId)
    {
        var socket = await ConnectAsync(emulator.RealtimeUrl, EmulatorTestKit.VisitorHeaders(emulator, visitorId));
        await socket.WaitForAsync(frames => frames.Any(frame => EmulatorTestKit.FrameType(frame) == "CONNECTION_ESTABLISHED"), "the hello");
        return socket;
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, EmulatorTestKit.Ct);

    public Task WaitForAsync(Func<IReadOnlyList<string>, bool> condition, string what) =>
        EmulatorTestKit.WaitUntilAsync(() => condition(Frames), "the raw socket saw " + what);

    public Task WaitForSupportStateUpdatesAsync(int count) =>
        EmulatorTestKit.WaitUntilAsync(() => SupportStateUpdates >= count, $"{count} supportStateUpdated frame(s) arrived");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone.
        }

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
                    CloseStatus = result.CloseStatus;
                    Closed = true;
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token); // complete the handshake
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _frames.Enqueue(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Closed = true;
        }
    }
}
