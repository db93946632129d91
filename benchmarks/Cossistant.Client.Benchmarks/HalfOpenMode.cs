using System.Diagnostics;
using System.Globalization;
using Cossistant.Client.Testing;

namespace Cossistant.Client.Benchmarks;

/// <summary>
/// <c>-- halfopen</c>: a network path that stops forwarding, in real time. The emulator freezes the visitor's socket
/// (nothing delivered either way, the TCP connection open); a flag changes on the server meanwhile. Measured: freeze
/// to <c>Reconnecting</c>, freeze to the missed flag caught up, and how long <c>DisposeAsync</c> and
/// <c>DisconnectRealtimeAsync</c> take on a frozen socket. With the default realtime settings one run takes about a
/// minute; <c>--ping 1</c> (seconds, dead timeout three times it) makes a quick smoke run.
/// </summary>
internal static class HalfOpenMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = CommandLine.IntOption(args, "--runs", 1);
        var disposals = CommandLine.IntOption(args, "--disposals", 5);
        var ping = CommandLine.IntOption(args, "--ping", 0);
        await using var emulator = await CossistantEmulator.StartAsync();
        var realtime = new CossistantRealtimeOptions();
        if (ping > 0)
        {
            realtime.PingInterval = TimeSpan.FromSeconds(ping);
            realtime.DeadConnectionTimeout = TimeSpan.FromSeconds(3 * ping);
        }

        Console.WriteLine($"realtime: ping every {realtime.PingInterval.TotalSeconds} s, dead after {realtime.DeadConnectionTimeout.TotalSeconds} s of silence, reconnect {realtime.ReconnectBaseDelay.TotalMilliseconds} ms doubling (jittered)");
        await using var server = new CossistantServerClient(emulator.CreateClientOptions(privateKey: true));
        var toReconnecting = new List<double>();
        var toCaughtUp = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            await using var client = await ConnectedAsync(emulator, realtime);
            var visitorId = client.VisitorId!;
            var reconnecting = Until(client, () => client.RealtimeConnectionState.Status == RealtimeConnectionStatus.Reconnecting);
            var caughtUp = Until(client, () => client.IsFeatureFlagEnabled("after-freeze") && client.RealtimeConnectionState.Status == RealtimeConnectionStatus.Connected);
            var clock = Stopwatch.StartNew();
            emulator.Faults.FreezeSockets(visitorId);
            await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["after-freeze"]);
            await reconnecting.WaitAsync(TimeSpan.FromMinutes(3));
            toReconnecting.Add(clock.Elapsed.TotalSeconds);
            await caughtUp.WaitAsync(TimeSpan.FromMinutes(3));
            toCaughtUp.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1}: freeze -> Reconnecting {toReconnecting[^1]:F2} s, -> caught up {toCaughtUp[^1]:F2} s"));
        }

        var dispose = new List<double>();
        var disconnect = new List<double>();
        for (var i = 0; i < disposals; i++)
        {
            var client = await ConnectedAsync(emulator, realtime);
            emulator.Faults.FreezeSockets(client.VisitorId);
            var clock = Stopwatch.StartNew();
            await client.DisconnectRealtimeAsync();
            disconnect.Add(clock.Elapsed.TotalMilliseconds);
            await client.ConnectRealtimeAsync();
            emulator.Faults.FreezeSockets(client.VisitorId);
            clock.Restart();
            await client.DisposeAsync();
            dispose.Add(clock.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT freeze -> Reconnecting max {toReconnecting.Max():F2} s; -> caught up max {toCaughtUp.Max():F2} s ({runs} run(s)); on a frozen socket DisposeAsync max {dispose.Max():F0} ms, DisconnectRealtimeAsync max {disconnect.Max():F0} ms ({disposals} each; target <= 2000 ms: {(Math.Max(dispose.Max(), disconnect.Max()) <= 2000 ? "met" : "missed")})"));
        return Math.Max(dispose.Max(), disconnect.Max()) <= 2000 ? 0 : 1;
    }

    private static async Task<CossistantClient> ConnectedAsync(CossistantEmulator emulator, CossistantRealtimeOptions realtime)
    {
        var options = emulator.CreateClientOptions();
        options.Realtime = realtime;
        var client = new CossistantClient(options);
        await client.FetchWebsiteAsync();
        await client.ConnectRealtimeAsync();
        await Until(client, () => client.SupportStateSnapshot.IsSettled).WaitAsync(TimeSpan.FromSeconds(30));
        return client;
    }

    /// <summary>Completes when the condition holds, checked now and after each announced change.</summary>
    private static Task Until(CossistantClient client, Func<bool> condition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition())
            {
                done.TrySetResult();
            }
        }

        client.SupportStateChanged += (_, _) => Check();
        client.RealtimeConnectionStateChanged += (_, _) => Check();
        Check();
        return done.Task;
    }
}
