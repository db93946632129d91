using Cossistant.Client.IntegrationTests.Infrastructure;
using System.Collections.Concurrent;
using System.Diagnostics;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>The emulator's fault injection works, and the client copes with each fault.</summary>
public sealed class EmulatorFaultTests
{
    [Fact]
    public async Task FailNextRequests_Two503s_FetchSucceedsOnThirdAttempt()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = await NewVisitorAsync(emulator);
        emulator.ClearRequests();
        emulator.Faults.FailNextRequests(2, 503);

        var state = await client.FetchSupportStateAsync(force: true, Ct);

        Assert.Equal(emulator.GetSupportState(client.VisitorId!), state);
        Assert.Equal(SupportStateStatus.Success, client.Status);
        var attempts = emulator.Requests.Where(request => request.Path == "/v1/support/state").Select(request => request.StatusCode);
        Assert.Equal([503, 503, 200], attempts);
    }

    [Fact]
    public async Task FailNextRequests_One400_ThrowsValidationExceptionWithoutRetry()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = await NewVisitorAsync(emulator);
        emulator.ClearRequests();
        emulator.Faults.FailNextRequests(1, 400);

        var error = await Assert.ThrowsAsync<CossistantValidationException>(() => client.FetchSupportStateAsync(force: true, Ct));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Injected failure 400", error.ServerMessage);
        Assert.Equal(400, Assert.Single(emulator.Requests).StatusCode);
        Assert.Equal(SupportStateStatus.Error, client.Status);

        // The fault counted down: the next call goes through.
        Assert.Equal(emulator.GetSupportState(client.VisitorId!), await client.FetchSupportStateAsync(force: true, Ct));
        Assert.Equal(SupportStateStatus.Success, client.Status);
    }

    [Fact]
    public async Task FailNextRequests_400OnOnboardingUpdate_RollsBackOnlyThatUpdate()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = await NewVisitorAsync(emulator);
        await client.CompleteOnboardingStepAsync("workspace", Ct);
        var before = client.SupportState;
        emulator.Faults.FailNextRequests(1, 400, pathPrefix: "/v1/support/onboarding");

        await Assert.ThrowsAsync<CossistantValidationException>(() => client.CompleteOnboardingStepAsync("invite-team", Ct));

        Assert.Equal(before, client.SupportState);
        Assert.Equal(emulator.GetSupportState(client.VisitorId!), client.SupportState);
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
    }

    [Fact]
    public async Task DelayNextRequests_CallerCancels_ThrowsOperationCanceledAndRollsBack()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = await NewVisitorAsync(emulator);
        emulator.Faults.DelayNextRequests(1, TimeSpan.FromSeconds(3));
        var clock = Stopwatch.StartNew();

        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            cancel.CancelAfter(150);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CompleteOnboardingStepAsync("workspace", cancel.Token));
        }

        Assert.False(client.SupportState.Onboarding.TryGetStep("workspace", out _));
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        Assert.NotEqual(SupportStateStatus.Error, client.Status); // the caller asked for it: not an error

        // The write was sent, so it may have been applied: the client asks the server before it calls itself settled.
        var settled = await Until.StateAsync(client, snapshot => snapshot.IsSettled, "the client asked what became of the write");
        Assert.Equal(emulator.GetSupportState(client.VisitorId!), settled.State);

        emulator.Faults.DelayNextRequests(1, TimeSpan.FromSeconds(3));
        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            cancel.CancelAfter(150);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.FetchWebsiteAsync(cancel.Token));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"cancellation took {clock.Elapsed}");
    }

    [Fact]
    public async Task RefuseNextUpgrades_One429WithRetryAfter1_ClientConnectsAfterAboutOneSecond()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = await NewVisitorAsync(emulator);
        emulator.Faults.RefuseNextUpgrades(1, 1);
        var clock = Stopwatch.StartNew();

        await client.ConnectRealtimeAsync(Ct);

        clock.Stop();
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
        Assert.Equal([429, 101], emulator.Requests.Where(request => request.Path == "/ws").Select(request => request.StatusCode));
        Assert.Equal(1, emulator.OpenSocketsFor(client.VisitorId!));
    }

    [Fact]
    public async Task DropAllSockets_ConnectedClient_ReconnectsAndRefetches()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = await NewVisitorAsync(emulator);
        await ConnectAndSettleAsync(emulator, client);
        var visitorId = client.VisitorId!;
        var fetches = StateFetches(emulator, visitorId);
        var firstConnection = client.RealtimeConnectionState.ConnectionId;

        Assert.Equal(1, emulator.Faults.DropAllSockets());

        await WaitUntilAsync(
            () => client.RealtimeConnectionState.Status == RealtimeConnectionStatus.Connected
                && client.RealtimeConnectionState.ConnectionId != firstConnection
                && StateFetches(emulator, visitorId) > fetches
                && client.Status == SupportStateStatus.Success,
            "the client reconnected and refetched");
        Assert.Equal(1, emulator.OpenSocketsFor(visitorId));
        Assert.Equal(2, emulator.Requests.Count(request => request.Path == "/ws" && request.StatusCode == 101));
    }

    [Fact]
    public async Task DropAllSockets_MutationWhileDown_RefetchAfterReconnectCatchesTheMissedEvent()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        await using var client = await NewVisitorAsync(emulator);
        await ConnectAndSettleAsync(emulator, client);
        var visitorId = client.VisitorId!;

        // Hold the client off for a second so the mutation surely happens while no socket is open.
        emulator.Faults.RefuseNextUpgrades(1, 1);
        Assert.Equal(1, emulator.Faults.DropAllSockets());
        await WaitUntilAsync(() => emulator.Requests.Any(request => request.Path == "/ws" && request.StatusCode == 429), "the reconnect was refused");
        Assert.Equal(0, emulator.OpenSocketsFor(visitorId));
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["missed-while-down"], Ct);
        Assert.False(client.IsFeatureFlagEnabled("missed-while-down"));

        await WaitUntilAsync(
            () => client.RealtimeConnectionState.Status == RealtimeConnectionStatus.Connected && client.IsFeatureFlagEnabled("missed-while-down"),
            "the client reconnected and its catch-up fetch brought the missed flag",
            timeoutMs: 8000);
        await AssertInSyncAsync(emulator, client, "the reconnect");
    }

    [Fact]
    public async Task PushStateAsync_StaleStateThenRealMutation_FinalStateEqualsEmulators()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        await using var client = await NewVisitorAsync(emulator);
        await ConnectAndSettleAsync(emulator, client);
        var visitorId = client.VisitorId!;
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["fresh"], Ct);
        await AssertInSyncAsync(emulator, client, "the first mutation");
        var changes = RecordChanges(client);

        Assert.Equal(1, await emulator.Faults.PushStateAsync(visitorId, new SupportState(["stale"])));
        await WaitUntilAsync(() => !changes.IsEmpty, "the stale push reached the client");

        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["second"], Ct);

        await AssertInSyncAsync(emulator, client, "the real mutation after the stale push");
        Assert.Equal(["fresh", "second"], client.SupportState.FeatureFlags);
        Assert.False(client.IsFeatureFlagEnabled("stale"));
    }

    [Fact]
    public async Task PushDuplicateAsync_LastEventAgain_ChangesNothing()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        await using var client = await NewVisitorAsync(emulator);
        await ConnectAndSettleAsync(emulator, client);
        var visitorId = client.VisitorId!;
        Assert.Equal(0, await emulator.Faults.PushDuplicateAsync(visitorId)); // no event yet
        await client.CompleteOnboardingStepAsync("workspace", Ct);
        // The flag's event follows the step's echo on the socket: once it applied, no set-up event is still on its way
        // (one could otherwise arrive after recording starts, and the HTTP answer can overtake an earlier event).
        var betaAnnounced = Infrastructure.Until.AnnouncedAsync(client, change => change.FlagsAdded.Contains("beta"), "the set-up's last event was announced");
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["beta"], Ct);
        await betaAnnounced; // announced, not only readable: the recording below cannot catch it
        await AssertInSyncAsync(emulator, client, "the set-up");
        var before = client.SupportState;
        var changes = RecordChanges(client);
        var markerAnnounced = Infrastructure.Until.AnnouncedAsync(client, change => change.FlagsAdded.Contains("marker"), "the marker event was announced");

        Assert.Equal(1, await emulator.Faults.PushDuplicateAsync(visitorId));

        // A marker event after the duplicate: once it applied, the duplicate (earlier on the same socket) has too.
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["marker"], Ct);
        await markerAnnounced;
        var recorded = changes.ToArray();
        var markerAt = Array.FindIndex(recorded, change => change.FlagsAdded.Contains("marker"));
        Assert.True(markerAt >= 0);
        foreach (var change in recorded[..markerAt])
        {
            Assert.Empty(change.FlagsAdded);
            Assert.Empty(change.FlagsRemoved);
            Assert.Empty(change.StepsChanged);
            Assert.Equal(before, change.Current.State);
        }

        Assert.Equal(["beta", "marker"], client.SupportState.FeatureFlags);
        Assert.Equal(before.Onboarding, client.SupportState.Onboarding);
        await AssertInSyncAsync(emulator, client, "the marker");
    }

    [Fact]
    public async Task PushRawAsync_GarbageAndUnknownFrames_ClientStaysConnectedAndLaterEventsApply()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        await using var client = await NewVisitorAsync(emulator);
        await ConnectAndSettleAsync(emulator, client);
        var visitorId = client.VisitorId!;
        var connectionId = client.RealtimeConnectionState.ConnectionId;
        var connectionChanges = new ConcurrentQueue<RealtimeConnectionStateChangedEventArgs>();
        client.RealtimeConnectionStateChanged += (_, change) => connectionChanges.Enqueue(change);

        Assert.Equal(1, await emulator.Faults.PushRawAsync(visitorId, "{garbage"));
        Assert.Equal(1, await emulator.Faults.PushRawAsync(visitorId, """{"type":"conversationCreated","payload":{"websiteId":"x"}}"""));
        Assert.Equal(1, await emulator.Faults.PushRawAsync(visitorId, "[1,2,3]"));
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["after-garbage"], Ct);

        await AssertInSyncAsync(emulator, client, "the event after the garbage");
        Assert.True(client.IsFeatureFlagEnabled("after-garbage"));
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
        Assert.Equal(connectionId, client.RealtimeConnectionState.ConnectionId);
        Assert.Empty(connectionChanges);
        Assert.Equal(1, emulator.OpenSocketsFor(visitorId));
    }
}
