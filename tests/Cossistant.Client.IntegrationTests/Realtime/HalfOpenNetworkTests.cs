using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Realtime.RealtimeTestKit;

namespace Cossistant.Client.IntegrationTests.Realtime;

/// <summary>
/// A network path that stops forwarding without a close or a reset (protocol §9): the emulator freezes the socket,
/// the client's silence timer must notice, abort it (a polite close never completes on such a path), go
/// <see cref="RealtimeConnectionStatus.Reconnecting"/> at once, reconnect with its backoff and catch up. Disposing or
/// disconnecting must return within 2 s whatever the network does. Fake time with the default realtime settings.
/// </summary>
public sealed class HalfOpenNetworkTests
{
    private static readonly CossistantRealtimeOptions Defaults = new();

    [Fact(Timeout = TestTimeoutMs)]
    public async Task FrozenPath_DefaultSettings_ReconnectingAfterTheDeadTimeoutThenCaughtUp()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var time = new ObservedTimeProvider();
        await using var client = await ConnectedVisitorAsync(emulator, time);
        await using var server = new CossistantClient(emulator.CreateClientOptions(privateKey: true));
        var visitorId = client.VisitorId!;

        var frozenAt = time.GetUtcNow();
        Assert.Equal(1, emulator.Faults.FreezeSockets(visitorId));
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["while-frozen"], Ct);
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);

        // Each tick pings into the void; the third finds 45 s of silence.
        for (var tick = 1; tick <= 3; tick++)
        {
            time.Advance(Defaults.PingInterval);
        }

        var reconnecting = await Until.RealtimeAsync(
            client, state => state is { Status: RealtimeConnectionStatus.Reconnecting, NextAttemptAt: not null }, "the dead connection is replaced");
        Assert.Equal(Defaults.DeadConnectionTimeout, reconnecting.Since - frozenAt);
        Assert.False(reconnecting.IsPermanentFailure);
        Assert.Contains("treated as dead", reconnecting.LastError!.Message, StringComparison.Ordinal);

        var backoff = reconnecting.NextAttemptAt!.Value - reconnecting.Since;
        Assert.InRange(backoff, Defaults.ReconnectBaseDelay / 2, Defaults.ReconnectBaseDelay);
        await time.WhenOneShotTimerAsync(backoff, "the reconnect delay is armed");
        time.Advance(backoff);

        await Until.RealtimeAsync(client, state => state.Status == RealtimeConnectionStatus.Connected, "connected again");
        await Until.StateAsync(client, snapshot => snapshot.State.IsFeatureFlagEnabled("while-frozen"), "the missed change is caught up");
        var caughtUp = time.GetUtcNow() - frozenAt;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"default settings, fake time: freeze -> Reconnecting {(reconnecting.Since - frozenAt).TotalSeconds:F1} s, -> caught up {caughtUp.TotalSeconds:F2} s (backoff {backoff.TotalMilliseconds:F0} ms)");
        Assert.Equal(Defaults.DeadConnectionTimeout + backoff, caughtUp);
        Assert.Equal(2, emulator.Requests.Count(request => request.Path == "/ws"));
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task DisposeAsync_FrozenSocket_ReturnsOnceTheOneSecondCloseTimeoutPasses()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var time = new ObservedTimeProvider();
        var client = await ConnectedVisitorAsync(emulator, time);
        Assert.Equal(1, emulator.Faults.FreezeSockets(client.VisitorId));

        var started = time.GetUtcNow();
        var disposing = client.DisposeAsync().AsTask();
        await time.WhenOneShotTimerAsync(TimeSpan.FromSeconds(1), "the close handshake's timeout is armed");
        Assert.False(disposing.IsCompleted); // the server never answers the close frame

        time.Advance(TimeSpan.FromSeconds(1));
        await Until.Bound(disposing, "DisposeAsync returns");

        Assert.True(time.GetUtcNow() - started <= TimeSpan.FromSeconds(2));
        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task DisconnectRealtimeAsync_FrozenSocket_ReturnsOnceTheCloseTimeoutPassesAndStaysDown()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var time = new ObservedTimeProvider();
        await using var client = await ConnectedVisitorAsync(emulator, time);
        Assert.Equal(1, emulator.Faults.FreezeSockets(client.VisitorId));
        var upgrades = emulator.Requests.Count(request => request.Path == "/ws");

        var disconnecting = client.DisconnectRealtimeAsync();
        await time.WhenOneShotTimerAsync(TimeSpan.FromSeconds(1), "the close handshake's timeout is armed");
        time.Advance(TimeSpan.FromSeconds(1));
        await Until.Bound(disconnecting, "DisconnectRealtimeAsync returns");

        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);
        time.Advance(Defaults.ReconnectMaxDelay); // far beyond any reconnect delay: nothing is scheduled
        Assert.Equal(upgrades, emulator.Requests.Count(request => request.Path == "/ws"));
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task DisposeAsync_HealthySocket_ClosesPolitelyWithoutWaitingForTheTimeout()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var time = new ObservedTimeProvider();
        var client = await ConnectedVisitorAsync(emulator, time);

        await Until.Bound(client.DisposeAsync().AsTask(), "DisposeAsync returns without the clock moving");

        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);
    }

    private static async Task<CossistantClient> ConnectedVisitorAsync(CossistantEmulator emulator, ObservedTimeProvider time)
    {
        var options = emulator.CreateClientOptions();
        options.TimeProvider = time; // every realtime setting at its default
        var client = new CossistantClient(options);
        await client.FetchWebsiteAsync(Ct);
        await client.ConnectRealtimeAsync(Ct).Within();
        await Until.StateAsync(client, snapshot => snapshot.Status == SupportStateStatus.Success, "the first catch-up fetch is applied");
        await time.WhenTimerAsync((_, period) => period == Defaults.PingInterval, "the heartbeat is armed");
        return client;
    }
}
