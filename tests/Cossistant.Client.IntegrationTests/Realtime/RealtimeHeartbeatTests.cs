using Cossistant.Client.IntegrationTests.RealtimeServer;
using static Cossistant.Client.IntegrationTests.Realtime.RealtimeTestKit;

namespace Cossistant.Client.IntegrationTests.Realtime;

/// <summary>The heartbeat on the client's <see cref="TimeProvider"/>: <c>ping</c> every 15 s, dead after 45 s of silence.</summary>
public sealed class RealtimeHeartbeatTests
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Heartbeat_AfterPingInterval_SendsTextPing()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        var time = new ObservedTimeProvider();
        await using var client = new CossistantClient(FakeTimeOptions(server, time));
        await ConnectAsync(client, server);
        await RealtimeTestServer.WaitUntilAsync(() => time.PeriodicTimers(PingInterval) >= 1, "the heartbeat timer is armed");

        time.Advance(TimeSpan.FromSeconds(14));
        await Task.Delay(150, Ct); // bounded "nothing happens" window
        Assert.Equal(0, server.ReceivedFrames.Count("ping"));

        time.Advance(TimeSpan.FromSeconds(1));
        await RealtimeTestServer.WaitUntilAsync(() => server.ReceivedFrames.Count("ping") == 1, "the first ping");

        time.Advance(PingInterval);
        await RealtimeTestServer.WaitUntilAsync(() => server.ReceivedFrames.Count("ping") == 2, "the second ping");
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
        Assert.Equal(1, server.UpgradeAttempts);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Heartbeat_PongsKeepConnectionAlive_PastDeadTimeout()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        var time = new ObservedTimeProvider();
        await using var client = new CossistantClient(FakeTimeOptions(server, time));
        await ConnectAsync(client, server);
        await RealtimeTestServer.WaitUntilAsync(() => time.PeriodicTimers(PingInterval) >= 1, "the heartbeat timer is armed");

        for (var ping = 1; ping <= 5; ping++)
        {
            time.Advance(PingInterval);
            await RealtimeTestServer.WaitUntilAsync(() => server.ReceivedFrames.Count("ping") == ping, $"ping {ping}");
        }

        // 75 s passed, far beyond the 45 s timeout, but every ping was answered.
        await Task.Delay(150, Ct);
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
        Assert.Equal(1, server.UpgradeAttempts);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Heartbeat_NoFrameForDeadTimeout_ReconnectsAndCatchesUp()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        server.AnswerPings = false;
        var time = new ObservedTimeProvider();
        await using var client = new CossistantClient(FakeTimeOptions(server, time));
        var changes = RecordConnectionChanges(client);
        await ConnectAsync(client, server);
        await RealtimeTestServer.WaitUntilAsync(() => time.PeriodicTimers(PingInterval) >= 1, "the heartbeat timer is armed");
        server.StateJson = Flags("after-catch-up");

        time.Advance(PingInterval);
        await RealtimeTestServer.WaitUntilAsync(() => server.ReceivedFrames.Count("ping") == 1, "ping at 15 s");
        time.Advance(PingInterval);
        await RealtimeTestServer.WaitUntilAsync(() => server.ReceivedFrames.Count("ping") == 2, "ping at 30 s");
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
        Assert.Equal(1, server.UpgradeAttempts);

        time.Advance(PingInterval); // 45 s without a frame: dead
        await RealtimeTestServer.WaitUntilAsync(
            () => client.RealtimeConnectionState.Status == RealtimeConnectionStatus.Reconnecting, "the connection is treated as dead");
        await time.AdvanceUntilAsync(() => server.UpgradeAttempts >= 2, TimeSpan.FromMilliseconds(100), "a second upgrade");
        await RealtimeTestServer.WaitUntilAsync(
            () => client.RealtimeConnectionState.Status == RealtimeConnectionStatus.Connected, "connected again");
        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("after-catch-up"), "the catch-up fetch applies");

        Assert.Equal(2, server.StateFetches);
        Assert.Empty(server.ReceivedCloses); // aborted: a close handshake never completes on a dead path
        var dead = Assert.Single(changes, change => change.Current.Status == RealtimeConnectionStatus.Reconnecting && change.Current.NextAttemptAt is not null);
        var error = Assert.IsType<CossistantRealtimeException>(dead.Current.LastError);
        Assert.Null(error.CloseStatus);
        Assert.False(dead.Current.IsPermanentFailure);
    }

    private static CossistantClientOptions FakeTimeOptions(RealtimeTestServer server, ObservedTimeProvider time)
    {
        var options = PublicOptions(server, time);
        options.Realtime.PingInterval = PingInterval;
        options.Realtime.DeadConnectionTimeout = TimeSpan.FromSeconds(45);
        options.Realtime.ReconnectBaseDelay = TimeSpan.FromMilliseconds(500);
        options.Realtime.ReconnectMaxDelay = TimeSpan.FromSeconds(30);
        return options;
    }
}
