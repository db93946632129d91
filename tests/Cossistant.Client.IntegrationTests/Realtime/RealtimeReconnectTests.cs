using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.IntegrationTests.RealtimeServer;
using static Cossistant.Client.IntegrationTests.Realtime.RealtimeTestKit;

namespace Cossistant.Client.IntegrationTests.Realtime;

/// <summary>Reconnect after a lost connection, with the catch-up fetch, and the 429 back-off on the upgrade.</summary>
public sealed class RealtimeReconnectTests
{
    [Fact(Timeout = TestTimeoutMs)]
    public async Task ServerDrop_Reconnects_CatchUpFetchAppliesAndLaterEventsApply()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);
        var firstConnectionId = client.RealtimeConnectionState.ConnectionId;
        var changes = RecordConnectionChanges(client);
        server.StateJson = Flags("missed-while-offline");
        var reconnected = Until.RealtimeAsync( // announced after the recorder above got it, not only readable
            client, state => state.Status == RealtimeConnectionStatus.Connected && state.ConnectionId != firstConnectionId, "a new connection");

        server.DropAll();

        await reconnected;
        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("missed-while-offline"), "the catch-up fetch applies");
        Assert.Equal(2, server.StateFetches);
        Assert.Equal(2, server.UpgradeAttempts);
        var reconnecting = Assert.Single(changes, change => change.Current.NextAttemptAt is not null);
        Assert.Equal(RealtimeConnectionStatus.Reconnecting, reconnecting.Current.Status);
        Assert.IsType<CossistantRealtimeException>(reconnecting.Current.LastError);
        Assert.False(reconnecting.Current.IsPermanentFailure);
        Assert.Equal(RealtimeConnectionStatus.Connected, changes.Last().Current.Status);

        await RealtimeTestServer.WaitUntilAsync(() => server.OpenSockets == 1, "the server registered the new socket");
        await server.BroadcastAsync(Event(Flags("missed-while-offline", "after-reconnect")));
        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("after-reconnect"), "an event after the reconnect applies");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ServerCloseNormal_Reconnects()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);
        var firstConnectionId = client.RealtimeConnectionState.ConnectionId;

        await server.CloseAllAsync(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "going away");

        await RealtimeTestServer.WaitUntilAsync(
            () => client.RealtimeConnectionState is { Status: RealtimeConnectionStatus.Connected } state && state.ConnectionId != firstConnectionId,
            "a new connection after close 1001");
        await RealtimeTestServer.WaitUntilAsync(() => server.StateFetches >= 2, "the catch-up fetch");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Upgrade429WithRetryAfter_WaitsRetryAfterOnClockThenConnects()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        server.RefuseNextUpgrades = 1;
        server.RetryAfterSeconds = 2;
        var time = new ObservedTimeProvider();
        await using var client = new CossistantClient(PublicOptions(server, time));
        await client.FetchWebsiteAsync(Ct).Within();
        var start = time.GetUtcNow();

        var connect = client.ConnectRealtimeAsync(Ct);

        await RealtimeTestServer.WaitUntilAsync(
            () => client.RealtimeConnectionState is { Status: RealtimeConnectionStatus.Reconnecting, NextAttemptAt: not null },
            "the client backs off");
        var state = client.RealtimeConnectionState;
        Assert.Equal(start + TimeSpan.FromSeconds(2), state.NextAttemptAt);
        Assert.Equal(1, state.FailedAttempts);
        Assert.False(state.IsPermanentFailure);
        var error = Assert.IsType<CossistantRealtimeException>(state.LastError);
        Assert.Equal(429, error.StatusCode);
        await RealtimeTestServer.WaitUntilAsync(() => time.OneShotTimers(TimeSpan.FromSeconds(2)) >= 1, "the 2 s delay is armed");

        time.Advance(TimeSpan.FromMilliseconds(1900));
        await Task.Delay(300, Ct); // bounded "nothing happens" window
        Assert.Equal(1, server.UpgradeAttempts);
        Assert.False(connect.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(100));
        await connect.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
        Assert.Equal(2, server.UpgradeAttempts);
        Assert.Equal(0, client.RealtimeConnectionState.FailedAttempts);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Upgrade429WithoutRetryAfter_BacksOffThenConnects()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        server.RefuseNextUpgrades = 1;
        var time = new ObservedTimeProvider();
        await using var client = new CossistantClient(PublicOptions(server, time));
        await client.FetchWebsiteAsync(Ct).Within();
        var start = time.GetUtcNow();

        var connect = client.ConnectRealtimeAsync(Ct);

        await RealtimeTestServer.WaitUntilAsync(
            () => client.RealtimeConnectionState is { Status: RealtimeConnectionStatus.Reconnecting, NextAttemptAt: not null },
            "the client backs off");
        Assert.True(client.RealtimeConnectionState.NextAttemptAt > start, "a 429 without Retry-After still backs off");
        Assert.Equal(1, server.UpgradeAttempts);

        await time.AdvanceUntilAsync(() => connect.IsCompleted, TimeSpan.FromMilliseconds(100), "connected after the back-off");
        await connect;
        Assert.Equal(2, server.UpgradeAttempts);
    }
}
