using System.Net.WebSockets;
using Cossistant.Client.IntegrationTests.RealtimeServer;
using static Cossistant.Client.IntegrationTests.Realtime.RealtimeTestKit;

namespace Cossistant.Client.IntegrationTests.Realtime;

/// <summary>Disconnect and dispose close the socket cleanly and stop every reconnect.</summary>
public sealed class RealtimeLifecycleTests
{
    [Fact(Timeout = TestTimeoutMs)]
    public async Task DisposeAsync_Connected_ClosesSocketCleanlyAndDisconnects()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);

        await client.DisposeAsync().AsTask().Within();

        await RealtimeTestServer.WaitUntilAsync(() => server.OpenSockets == 0, "the server sees the socket closed");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, Assert.Single(server.ReceivedCloses));
        var state = client.RealtimeConnectionState;
        Assert.Equal(RealtimeConnectionStatus.Disconnected, state.Status);
        Assert.False(state.IsPermanentFailure);
        Assert.Null(state.LastError);
        Assert.Equal(1, server.UpgradeAttempts);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task DisconnectRealtimeAsync_Connected_ClosesCleanlyAndDoesNotReconnect()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);

        await client.DisconnectRealtimeAsync().Within();

        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);
        await RealtimeTestServer.WaitUntilAsync(() => server.OpenSockets == 0, "the server sees the socket closed");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, Assert.Single(server.ReceivedCloses));
        server.DropAll();
        await Task.Delay(500, Ct); // bounded "nothing happens" window (50 ms base delay)
        Assert.Equal(1, server.UpgradeAttempts);
        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);

        await client.ConnectRealtimeAsync(Ct).Within();
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
        Assert.Equal(2, server.UpgradeAttempts);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task DisconnectRealtimeAsync_WhileWaitingToReconnect_NeverReconnects()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        var time = new ObservedTimeProvider();
        await using var client = new CossistantClient(PublicOptions(server, time));
        await ConnectAsync(client, server);
        server.DropAll();
        await RealtimeTestServer.WaitUntilAsync(
            () => client.RealtimeConnectionState is { Status: RealtimeConnectionStatus.Reconnecting, NextAttemptAt: not null },
            "the client waits to reconnect");

        await client.DisconnectRealtimeAsync().Within();

        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);
        for (var step = 0; step < 10; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1)); // far beyond every reconnect delay
            await Task.Delay(20, Ct);
        }

        await Task.Delay(200, Ct); // bounded "nothing happens" window
        Assert.Equal(1, server.UpgradeAttempts);
        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task DisposeAsync_WhileWaitingToReconnect_NeverReconnects()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        var time = new ObservedTimeProvider();
        var client = new CossistantClient(PublicOptions(server, time));
        await ConnectAsync(client, server);
        server.DropAll();
        await RealtimeTestServer.WaitUntilAsync(
            () => client.RealtimeConnectionState is { Status: RealtimeConnectionStatus.Reconnecting, NextAttemptAt: not null },
            "the client waits to reconnect");

        await client.DisposeAsync().AsTask().Within();

        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);
        time.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(300, Ct); // bounded "nothing happens" window
        Assert.Equal(1, server.UpgradeAttempts);
    }
}
