using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using Cossistant.Client.Testing;
using Polly;
using Polly.Retry;

namespace Cossistant.Client.Benchmarks;

/// <summary>
/// <c>-- latency</c>: end to end over loopback against the in-process emulator, next to the raw socket floor.
/// </summary>
/// <remarks>
/// By default every round runs each phase once, in order, so load drift on the machine hits all phases alike and
/// every phase starts from the same idle state; <c>--sequential</c> runs each phase's iterations back to back
/// instead (hot loops: lower floors). <c>--iterations N</c> (default 2000) and <c>--warmup N</c> (default 200). Each socket
/// belongs to a visitor of its own (public key + <c>X-Visitor-Id</c>), so no phase's frames reach another's socket:
/// <list type="number">
/// <item>socket floor: a bare <see cref="ClientWebSocket"/> on <c>/ws</c> sends <c>ping</c> and awaits <c>pong</c>;</item>
/// <item>HTTP floor: a bare <see cref="HttpClient"/> GET that the emulator answers with a 404 at once;</item>
/// <item>a bare <c>PATCH /v1/support/feature-flags</c> (the request the SDK sends) until a bare socket reads the
/// <c>supportStateUpdated</c> frame: the protocol's own cost for a mutation;</item>
/// <item>the same with the SDK as sender, with the bare request inside a Polly pipeline built like the SDK's, with a
/// bare Websocket.Client as receiver, and with the SDK as receiver;</item>
/// <item>the target: a private-key <see cref="CossistantClient"/> calls <c>MutateSupportFeatureFlagsAsync</c>
/// (alternately adding and removing one flag) until the visitor's own client, connected over realtime, raises
/// <c>SupportStateChanged</c> with the change.</item>
/// </list>
/// Times are <see cref="Stopwatch"/> ticks from the start of the step.
/// </remarks>
internal static class LatencyMode
{
    private static readonly FeatureFlag BenchFlag = new("bench-latency");

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = CommandLine.IntOption(args, "--iterations", 2000);
        var warmup = CommandLine.IntOption(args, "--warmup", 200);
        var sequential = args.Contains("--sequential");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(9));
        var cancellationToken = timeout.Token;

        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: cancellationToken);
        Console.WriteLine(sequential
            ? $"Emulator {emulator.BaseUrl}; sequential: each phase runs {warmup} warmup and {iterations} measured iterations back to back, then the next phase; Stopwatch.Frequency {Stopwatch.Frequency}/s; load average at start {LoadAverage()}."
            : $"Emulator {emulator.BaseUrl}; interleaved: {iterations} measured rounds after {warmup} warmup rounds, each round runs every phase once, in order; Stopwatch.Frequency {Stopwatch.Frequency}/s; load average at start {LoadAverage()}.");

        // One visitor per socket, so a phase's frames never reach another phase's socket.
        var floorVisitor = emulator.CreateVisitor();
        var bareVisitor = emulator.CreateVisitor();
        var libraryVisitor = emulator.CreateVisitor();
        var sdkVisitor = emulator.CreateVisitor();
        var pollyVisitor = emulator.CreateVisitor();

        var buffer = new byte[64 * 1024];
        using var floorSocket = await ConnectBareSocketAsync(emulator, floorVisitor, buffer, cancellationToken);
        using var bareHttp = new HttpClient();
        using var floorHttp = new HttpClient();
        await using var server = new CossistantClient(emulator.CreateClientOptions(privateKey: true));
        await using var bareReceiver = await BareReceiver.ConnectAsync(emulator, bareVisitor, cancellationToken);
        await using var libraryReceiver = await WebsocketClientReceiver.ConnectAsync(emulator, libraryVisitor, cancellationToken);
        await using var sdkReceiver = await SdkReceiver.ConnectAsync(emulator, sdkVisitor, cancellationToken);
        await using var pollyReceiver = await BareReceiver.ConnectAsync(emulator, pollyVisitor, cancellationToken);

        var ping = "ping"u8.ToArray();
        var floorUri = new Uri(emulator.BaseUrl, "/latency-floor");
        Phase[] phases =
        [
            new("socket floor: bare ClientWebSocket ping -> pong", null, async token =>
            {
                var start = Stopwatch.GetTimestamp();
                await floorSocket.SendAsync(ping, WebSocketMessageType.Text, true, token);
                while (await ReceiveTextAsync(floorSocket, buffer, token) != "pong")
                {
                }

                var elapsed = Stopwatch.GetTimestamp() - start;
                return (elapsed, elapsed);
            }),
            new("HTTP floor: bare HttpClient GET -> 404", null, async token =>
            {
                var start = Stopwatch.GetTimestamp();
                using (var response = await floorHttp.GetAsync(floorUri, token))
                {
                    await response.Content.ReadAsStringAsync(token);
                }

                var elapsed = Stopwatch.GetTimestamp() - start;
                return (elapsed, elapsed);
            }),
            Mutation("bare PATCH -> bare ClientWebSocket reads the frame", "bare PATCH", BareSender(bareHttp, emulator, bareVisitor), bareReceiver),
            Mutation("SDK MutateSupportFeatureFlagsAsync -> bare ClientWebSocket reads the frame", "SDK mutation", SdkSender(server, bareVisitor), bareReceiver),
            Mutation("bare PATCH inside a Polly retry + timeout pipeline like the SDK's -> bare ClientWebSocket", "bare PATCH in Polly", PollySender(bareHttp, emulator, pollyVisitor), pollyReceiver),
            Mutation("bare PATCH -> bare Websocket.Client (no SDK code) delivers the frame", "bare PATCH", BareSender(bareHttp, emulator, libraryVisitor), libraryReceiver),
            Mutation("bare PATCH -> SDK client raises SupportStateChanged", "bare PATCH", BareSender(bareHttp, emulator, sdkVisitor), sdkReceiver),
            Mutation("TARGET: SDK MutateSupportFeatureFlagsAsync -> other SDK client raises SupportStateChanged", "SDK mutation", SdkSender(server, sdkVisitor), sdkReceiver),
        ];

        var seen = phases.Select(_ => new long[iterations]).ToArray();
        var returned = phases.Select(_ => new long[iterations]).ToArray();
        async Task RunAsync(int p, int round)
        {
            var (notified, done) = await phases[p].Once(cancellationToken);
            if (round >= 0)
            {
                seen[p][round] = notified;
                returned[p][round] = done;
            }
        }

        if (sequential)
        {
            for (var p = 0; p < phases.Length; p++)
            {
                for (var round = -warmup; round < iterations; round++)
                {
                    await RunAsync(p, round);
                }
            }
        }
        else
        {
            for (var round = -warmup; round < iterations; round++)
            {
                for (var p = 0; p < phases.Length; p++)
                {
                    await RunAsync(p, round);
                }
            }
        }

        await floorSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
        Console.WriteLine($"load average at end {LoadAverage()}");
        var results = seen.Select(samples => new Percentiles(samples)).ToArray();
        for (var p = 0; p < phases.Length; p++)
        {
            Report(phases[p].Name, results[p]);
            if (phases[p].ReturnedName is { } call)
            {
                Report($"    {call} call returned", new Percentiles(returned[p]));
            }
        }

        var floor = results[0];
        var bare = results[2];
        var target = results[^1];
        var ratio = (double)target.P50 / floor.P50;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT e2e p50 {Us(target.P50)}, p99 {Us(target.P99)}; socket floor p50 {Us(floor.P50)}, p99 {Us(floor.P99)}; ratio p50/floor p50 = {ratio:F2} (target <= 2: {(ratio <= 2 ? "met" : "missed")}); bare-protocol mutation p50 {Us(bare.P50)} = {(double)bare.P50 / floor.P50:F2}x floor; SDK end to end / bare = {(double)target.P50 / bare.P50:F2}x"));
        return 0;
    }

    private static Phase Mutation(string name, string call, Func<bool, CancellationToken, Task> send, IReceiver receiver) =>
        new(name, call, async token =>
        {
            var add = !receiver.FlagEnabled;
            var seenTask = receiver.ExpectAsync(add, token);
            var start = Stopwatch.GetTimestamp();
            await send(add, token);
            var done = Stopwatch.GetTimestamp();
            var seen = await seenTask.WaitAsync(TimeSpan.FromSeconds(10), token);
            return (seen - start, done - start);
        });

    private static void Report(string name, Percentiles samples) => Console.WriteLine($"{name}: {samples.Describe()}");

    private static string Us(long ticks) => string.Create(CultureInfo.InvariantCulture, $"{Percentiles.Microseconds(ticks):F1} µs");

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static async Task<ClientWebSocket> ConnectBareSocketAsync(CossistantEmulator emulator, string visitorId, byte[] buffer, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        var options = emulator.CreateClientOptions();
        socket.Options.SetRequestHeader("X-Public-Key", options.PublicKey);
        socket.Options.SetRequestHeader("X-Visitor-Id", visitorId);
        socket.Options.SetRequestHeader("Origin", options.Origin);
        await socket.ConnectAsync(emulator.RealtimeUrl, cancellationToken);
        var hello = await ReceiveTextAsync(socket, buffer, cancellationToken);
        if (!hello.Contains("CONNECTION_ESTABLISHED", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Unexpected first frame: " + hello);
        }

        return socket;
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
            count += result.Count;
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(buffer, 0, count);
    }

    private static Func<bool, CancellationToken, Task> BareSender(HttpClient http, CossistantEmulator emulator, string visitorId)
    {
        var uri = new Uri(emulator.ApiUrl + "/support/feature-flags");
        var privateKey = emulator.DefaultWebsite.PrivateApiKey;
        byte[] Body(string operation) => Encoding.UTF8.GetBytes(
            $$"""{"target":{"type":"visitor","id":"{{visitorId}}"},"operation":"{{operation}}","flags":["{{BenchFlag.Name}}"]}""");
        var addBody = Body("add");
        var removeBody = Body("remove");
        return async (add, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, uri) { Content = new ByteArrayContent(add ? addBody : removeBody) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", privateKey);
            request.Headers.Accept.ParseAdd("application/json");
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.SendAsync(request, cancellationToken);
            await response.Content.ReadAsStringAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
        };
    }

    /// <summary>
    /// The bare request inside a Polly pipeline built as the SDK builds its own (retry with jittered exponential
    /// backoff, then a per-attempt timeout, defaults of <see cref="CossistantRetryOptions"/>): what the pipeline alone costs.
    /// </summary>
    private static Func<bool, CancellationToken, Task> PollySender(HttpClient http, CossistantEmulator emulator, string visitorId)
    {
        var defaults = new CossistantRetryOptions();
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = defaults.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = defaults.BaseDelay,
                MaxDelay = defaults.MaxDelay,
            })
            .AddTimeout(defaults.AttemptTimeout)
            .Build();
        var bare = BareSender(http, emulator, visitorId);
        return async (add, cancellationToken) =>
        {
            var response = await pipeline.ExecuteAsync(
                async token =>
                {
                    await bare(add, token);
                    return new HttpResponseMessage();
                },
                cancellationToken);
            response.Dispose();
        };
    }

    private static Func<bool, CancellationToken, Task> SdkSender(CossistantClient server, string visitorId)
    {
        var target = FeatureFlagTarget.Visitor(visitorId);
        return (add, cancellationToken) =>
            server.MutateSupportFeatureFlagsAsync(target, add ? FeatureFlagOperation.Add : FeatureFlagOperation.Remove, [BenchFlag], cancellationToken);
    }

    /// <summary>The visitor side of a mutation phase.</summary>
    private interface IReceiver : IAsyncDisposable
    {
        bool FlagEnabled { get; }

        Task<long> ExpectAsync(bool add, CancellationToken cancellationToken);
    }

    /// <summary>A bare socket of the visitor: the change is seen when the <c>supportStateUpdated</c> frame is read.</summary>
    private sealed class BareReceiver : IReceiver
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private ClientWebSocket _socket = null!;

        public bool FlagEnabled { get; private set; }

        public static async Task<BareReceiver> ConnectAsync(CossistantEmulator emulator, string visitorId, CancellationToken cancellationToken)
        {
            var receiver = new BareReceiver();
            receiver._socket = await ConnectBareSocketAsync(emulator, visitorId, receiver._buffer, cancellationToken);
            receiver.FlagEnabled = emulator.GetSupportState(visitorId).IsFeatureFlagEnabled(BenchFlag);
            return receiver;
        }

        public async Task<long> ExpectAsync(bool add, CancellationToken cancellationToken)
        {
            while (true)
            {
                var text = await ReceiveTextAsync(_socket, _buffer, cancellationToken);
                var now = Stopwatch.GetTimestamp();
                if (text.Contains("supportStateUpdated", StringComparison.Ordinal))
                {
                    if (text.Contains(BenchFlag.Name, StringComparison.Ordinal) != add)
                    {
                        throw new InvalidOperationException("The frame does not carry the change: " + text);
                    }

                    FlagEnabled = add;
                    return now;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            _socket.Dispose();
        }
    }

    /// <summary>
    /// A <see cref="Websocket.Client.WebsocketClient"/> set up as the SDK sets it up (same factory headers, no
    /// reconnection), without any SDK code: the change is seen when <c>MessageReceived</c> delivers the frame.
    /// </summary>
    private sealed class WebsocketClientReceiver : IReceiver
    {
        private Websocket.Client.WebsocketClient _client = null!;
        private IDisposable _subscription = null!;
        private Waiter? _waiter;

        public bool FlagEnabled { get; private set; }

        public static async Task<WebsocketClientReceiver> ConnectAsync(CossistantEmulator emulator, string visitorId, CancellationToken cancellationToken)
        {
            var options = emulator.CreateClientOptions();
            var receiver = new WebsocketClientReceiver { FlagEnabled = emulator.GetSupportState(visitorId).IsFeatureFlagEnabled(BenchFlag) };
            receiver._client = new Websocket.Client.WebsocketClient(emulator.RealtimeUrl, null, async (uri, token) =>
            {
                var socket = new ClientWebSocket();
                socket.Options.SetRequestHeader("X-Public-Key", options.PublicKey);
                socket.Options.SetRequestHeader("X-Visitor-Id", visitorId);
                socket.Options.SetRequestHeader("Origin", options.Origin);
                await socket.ConnectAsync(uri, token);
                return socket;
            })
            {
                IsReconnectionEnabled = false,
                ReconnectTimeout = null,
                ErrorReconnectTimeout = null,
                LostReconnectTimeout = null,
            };
            receiver._subscription = receiver._client.MessageReceived.Subscribe(message =>
            {
                var now = Stopwatch.GetTimestamp();
                var text = message.Text;
                if (text is not null && text.Contains("supportStateUpdated", StringComparison.Ordinal)
                    && Volatile.Read(ref receiver._waiter) is { } w && text.Contains(BenchFlag.Name, StringComparison.Ordinal) == w.Add)
                {
                    receiver.FlagEnabled = w.Add;
                    w.Done.TrySetResult(now);
                }
            });
            await receiver._client.StartOrFail().WaitAsync(cancellationToken);
            return receiver;
        }

        public Task<long> ExpectAsync(bool add, CancellationToken cancellationToken)
        {
            var waiter = new Waiter(add);
            Volatile.Write(ref _waiter, waiter);
            return waiter.Done.Task;
        }

        public async ValueTask DisposeAsync()
        {
            await _client.Stop(WebSocketCloseStatus.NormalClosure, "done");
            _subscription.Dispose();
            _client.Dispose();
        }
    }

    /// <summary>The visitor's own client over realtime: the change is seen when <c>SupportStateChanged</c> carries it.</summary>
    private sealed class SdkReceiver : IReceiver
    {
        private CossistantClient _client = null!;
        private Waiter? _waiter;

        public bool FlagEnabled => _client.IsFeatureFlagEnabled(BenchFlag);

        public static async Task<SdkReceiver> ConnectAsync(CossistantEmulator emulator, string visitorId, CancellationToken cancellationToken)
        {
            var options = emulator.CreateClientOptions();
            options.Support = SupportConfig.Create([BenchFlag]);
            var receiver = new SdkReceiver { _client = new CossistantClient(options) };
            var client = receiver._client;
            await client.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, visitorId);
            await client.FetchSupportStateAsync(cancellationToken: cancellationToken);
            await client.ConnectRealtimeAsync(cancellationToken);
            client.SupportStateChanged += (_, change) =>
            {
                var now = Stopwatch.GetTimestamp();
                if (Volatile.Read(ref receiver._waiter) is { } w
                    && (w.Add ? change.FlagsAdded.Contains(BenchFlag.Name) : change.FlagsRemoved.Contains(BenchFlag.Name)))
                {
                    w.Done.TrySetResult(now);
                }
            };

            // Let the catch-up fetch that follows every connection settle.
            await Task.Delay(500, cancellationToken);
            return receiver;
        }

        public Task<long> ExpectAsync(bool add, CancellationToken cancellationToken)
        {
            var waiter = new Waiter(add);
            Volatile.Write(ref _waiter, waiter);
            return waiter.Done.Task;
        }

        public async ValueTask DisposeAsync()
        {
            await _client.DisconnectRealtimeAsync();
            await _client.DisposeAsync();
        }
    }

    /// <summary>One measured step: returns when the change was seen and when the call returned (ticks from its start).</summary>
    private sealed record Phase(string Name, string? ReturnedName, Func<CancellationToken, Task<(long Seen, long Returned)>> Once);

    private sealed class Waiter(bool add)
    {
        public bool Add { get; } = add;

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
