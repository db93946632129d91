using System.Collections.Concurrent;
using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.IntegrationTests.RealtimeServer;
using static Cossistant.Client.IntegrationTests.Realtime.RealtimeTestKit;

namespace Cossistant.Client.IntegrationTests.Realtime;

/// <summary>Realtime events against optimistic onboarding operations (client.md §5.1): nothing is lost, the echo is harmless.</summary>
public sealed class RealtimeReconciliationTests
{
    /// <summary>The server's full state after completing "workspace", with a flag so its arrival is visible.</summary>
    private const string ServerStateAfterPatch =
        """{"featureFlags":["beta"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""";

    /// <summary>The same, plus a flag whose arrival tells a test that every event before it was handled.</summary>
    private const string ServerStateAfterPatchWithMarker =
        """{"featureFlags":["beta","marker"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""";

    [Fact(Timeout = TestTimeoutMs)]
    public async Task EventDuringFailingOnboardingPatch_SurvivesRollback()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.OnboardingPatchGate = gate;

        var patch = client.CompleteOnboardingStepAsync("workspace", Ct);
        await RealtimeTestServer.WaitUntilAsync(() => !server.OnboardingPatchBodies.IsEmpty, "the PATCH is in flight");
        Assert.True(IsCompleted(client, "workspace"), "the optimistic change is visible while in flight");

        await server.BroadcastAsync(Event(Flags("pushed-during-patch")));
        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("pushed-during-patch"), "the event applies");
        Assert.True(IsCompleted(client, "workspace"), "the pending change stays applied on top of the event's state");
        Assert.Equal(1, client.SupportStateSnapshot.PendingOperations);

        var errors = new ConcurrentQueue<SupportStateSnapshot>();
        client.SupportStateChanged += (_, change) =>
        {
            if (change.Current.Status == SupportStateStatus.Error)
            {
                errors.Enqueue(change.Current);
            }
        };
        server.StateJson = Flags("pushed-during-patch"); // what the server holds: the event, and not the failed write
        server.OnboardingPatchStatus = 500;
        gate.SetResult();
        var error = await Assert.ThrowsAnyAsync<CossistantException>(() => patch.Within());

        Assert.Equal(500, error.StatusCode);
        Assert.True(errors.TryPeek(out var failed), "the failure was announced");
        Assert.Same(error, failed.Error);
        Assert.True(failed.State.IsFeatureFlagEnabled("pushed-during-patch"), "the event survived the rollback");
        Assert.False(failed.State.Onboarding.TryGetStep("workspace", out _), "the failed change is gone");
        Assert.Equal(0, failed.PendingOperations);
        Assert.Single(server.OnboardingPatchBodies);

        // A 500 may follow a change the server made: the client asks once, and ends with the server's state.
        await Infrastructure.Until.StateAsync(client, snapshot => snapshot.IsSettled, "the client asked what became of the write");
        Assert.Equal(SupportState.Parse(Flags("pushed-during-patch")), client.SupportState);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task OwnPatchEchoBeforeAnswer_IsHarmless_FinalStateIsServers()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.OnboardingPatchGate = gate;
        server.OnboardingPatchResponseJson = ServerStateAfterPatch;
        var expected = SupportState.Parse(ServerStateAfterPatch);

        var patch = client.CompleteOnboardingStepAsync("workspace", Ct);
        await RealtimeTestServer.WaitUntilAsync(() => !server.OnboardingPatchBodies.IsEmpty, "the PATCH is in flight");
        await server.BroadcastAsync(Event(ServerStateAfterPatch)); // the server publishes before it answers
        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("beta"), "the echo applies");
        Assert.Equal(expected, client.SupportState);
        gate.SetResult();
        var returned = await patch.Within();

        Assert.Equal(expected, returned);
        Assert.Equal(expected, client.SupportState);
        Assert.Equal(SupportStateStatus.Success, client.Status);

        // The echo again changes nothing and announces nothing: the marker behind it is the only change.
        var changes = new ConcurrentQueue<SupportStateChangedEventArgs>();
        client.SupportStateChanged += (_, change) => changes.Enqueue(change);
        var markerAnnounced = Until.AnnouncedAsync(client, change => change.FlagsAdded.Contains("marker"), "the marker behind the echo is announced");
        await server.BroadcastAsync(Event(ServerStateAfterPatch));
        await server.BroadcastAsync(Event(ServerStateAfterPatchWithMarker));
        await markerAnnounced;
        Assert.Equal(["marker"], Assert.Single(changes).FlagsAdded);
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        Assert.Equal(SupportState.Parse(ServerStateAfterPatchWithMarker), client.SupportState);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task OwnPatchEchoAfterAnswer_IsHarmless_NoVisibleChange()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);
        server.OnboardingPatchResponseJson = ServerStateAfterPatch;
        var expected = SupportState.Parse(ServerStateAfterPatch);

        var returned = await client.CompleteOnboardingStepAsync("workspace", Ct).Within();

        Assert.Equal(expected, returned);
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        var changes = new ConcurrentQueue<SupportStateChangedEventArgs>();
        client.SupportStateChanged += (_, change) => changes.Enqueue(change);
        var markerAnnounced = Until.AnnouncedAsync(client, change => change.FlagsAdded.Contains("marker"), "the echo and the marker are handled");

        await server.BroadcastAsync(Event(ServerStateAfterPatch)); // the echo, just after the answer
        await server.BroadcastAsync(Event(ServerStateAfterPatchWithMarker)); // events arrive in order: a marker behind it

        await markerAnnounced;
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        var change = Assert.Single(changes); // the echo announced nothing
        Assert.Equal(["marker"], change.FlagsAdded);
        Assert.Same(returned, change.Previous.State);
        Assert.Empty(change.StepsChanged);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task EventDuringSuccessfulPatch_OlderAnswerDoesNotOverwriteNewerEvent()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.OnboardingPatchGate = gate;
        // The answer reflects the state when the PATCH was processed; a flag flipped on right after arrives by event.
        server.OnboardingPatchResponseJson = """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""";

        var patch = client.CompleteOnboardingStepAsync("workspace", Ct);
        await RealtimeTestServer.WaitUntilAsync(() => !server.OnboardingPatchBodies.IsEmpty, "the PATCH is in flight");
        await server.BroadcastAsync(Event(
            """{"featureFlags":["flipped"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}"""));
        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("flipped"), "the event applies");
        // The server's state now is the event's: the client's settling fetch (the answer and the event differ) reads it.
        server.StateJson = """{"featureFlags":["flipped"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""";
        gate.SetResult();
        await patch.Within();

        Assert.True(client.IsFeatureFlagEnabled("flipped"), "the older HTTP answer did not replace the newer event");
        Assert.True(IsCompleted(client, "workspace"));
        await RealtimeTestServer.WaitUntilAsync(() => client.SupportStateSnapshot.IsSettled, "the client asked the server once more");
        Assert.True(client.IsFeatureFlagEnabled("flipped"));
        Assert.True(IsCompleted(client, "workspace"));
    }

    private static bool IsCompleted(CossistantClient client, string stepId) =>
        client.SupportState.Onboarding.TryGetStep(stepId, out var step) && step.Completed;
}
