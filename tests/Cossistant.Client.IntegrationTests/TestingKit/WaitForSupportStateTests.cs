using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.TestingKit.KitSupport;

namespace Cossistant.Client.IntegrationTests.TestingKit;

/// <summary>
/// The await helpers of <see cref="SupportStateWaitExtensions"/>: they complete on the change they wait for (the
/// snapshots' observable, no polling), at once when the state already has it, and otherwise fail with a
/// <see cref="TimeoutException"/> that says what was awaited and what the state is.
/// </summary>
public sealed class WaitForSupportStateTests
{
    [Fact]
    public async Task WaitForFeatureFlagAsync_Client_CompletesWhenTheSeededFlagReachesTheConnectedClient()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = await LoadedClientAsync(emulator);
        await client.ConnectRealtimeAsync(Ct);

        var on = client.WaitForFeatureFlagAsync(NewMessage, enabled: true, Bound, Ct);
        Assert.False(on.IsCompleted);
        emulator.SeedVisitor(seed => seed.VisitorId(client.VisitorId!).WithFlags(NewMessage));
        var snapshot = await on;
        Assert.True(snapshot.State.IsFeatureFlagEnabled(NewMessage));
        Assert.True(client.IsFeatureFlagEnabled(NewMessage));

        var off = client.WaitForFeatureFlagAsync(NewMessage.Name, enabled: false, Bound, Ct);
        Assert.False(off.IsCompleted);
        emulator.SeedVisitor(seed => seed.VisitorId(client.VisitorId!).WithFlags("other"));
        await off;
        Assert.False(client.IsFeatureFlagEnabled(NewMessage));
    }

    [Fact]
    public async Task WaitForFeatureFlagAsync_StateAlreadyHasIt_CompletesAtOnce()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.SeedVisitor(seed => seed.WithFlags(BillingV2));
        await using var client = new CossistantClient(VisitorOptions(emulator));
        await client.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, visitorId);
        await client.FetchSupportStateAsync(cancellationToken: Ct);

        Assert.True(client.WaitForFeatureFlagAsync(BillingV2, enabled: true, Bound, Ct).IsCompletedSuccessfully);
        Assert.True(client.WaitForFeatureFlagAsync(NewMessage, enabled: false, Bound, Ct).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WaitForFeatureFlagAsync_NothingLoadedYet_DoesNotTakeTheEmptyStateForDisabled()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        await using var client = new CossistantClient(VisitorOptions(emulator));
        await client.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, visitorId);
        Assert.False(client.IsFeatureFlagEnabled(NewMessage));

        var off = client.WaitForFeatureFlagAsync(NewMessage, enabled: false, Bound, Ct);
        Assert.False(off.IsCompleted);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        var snapshot = await off;
        Assert.Equal(SupportStateStatus.Success, snapshot.Status);
    }

    [Fact]
    public async Task WaitForFeatureFlagAsync_Timeout_ThrowsTimeoutExceptionSayingWhatWasAwaitedAndTheStateNow()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.SeedVisitor(seed => seed.WithFlags(NewMessage, new FeatureFlag("beta")));
        await using var client = new CossistantClient(VisitorOptions(emulator));
        await client.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, visitorId);
        await client.FetchSupportStateAsync(cancellationToken: Ct);

        var timeout = await Assert.ThrowsAsync<TimeoutException>(
            () => client.WaitForFeatureFlagAsync(BillingV2, enabled: true, TimeSpan.FromMilliseconds(200), Ct));

        Assert.Contains("\"billing-v2\"", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("enabled", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("0.2 s", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("Success", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("[beta, new-message]", timeout.Message, StringComparison.Ordinal);
        Assert.Contains(visitorId, timeout.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.DefaultWebsite.PublicKey, timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForSupportStateAsync_Predicate_ReturnsTheFirstMatchingSnapshotAndNamesThePredicateOnTimeout()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = await LoadedClientAsync(emulator);
        await client.ConnectRealtimeAsync(Ct);

        var done = client.WaitForSupportStateAsync(snapshot => snapshot.State.Onboarding.TryGetStep("done", out var step) && step.Completed, Bound, Ct);
        Assert.False(done.IsCompleted);
        emulator.SeedVisitor(seed => seed.VisitorId(client.VisitorId!).WithCompletedStep(Done));
        var matched = await done;
        Assert.True(matched.State.Onboarding.TryGetStep("done", out var completed) && completed.Completed);

        var timeout = await Assert.ThrowsAsync<TimeoutException>(
            () => client.WaitForSupportStateAsync(snapshot => snapshot.State.FeatureFlags.Length == 7, TimeSpan.FromMilliseconds(100), Ct));
        Assert.Contains("snapshot.State.FeatureFlags.Length == 7", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("done: completed", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForFeatureFlagAsync_Session_CompletesWhenTheServerClientChangesTheFlag()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = emulator.CreateClientOptions(privateKey: true);
        options.Support = Config;
        await using var factory = new CossistantSessionFactory(options);
        var visitorId = emulator.CreateVisitor();
        await using var session = factory.CreateSession(visitorId);
        await session.FetchSupportStateAsync(cancellationToken: Ct);

        var on = session.WaitForFeatureFlagAsync(BillingV2, enabled: true, Bound, Ct);
        Assert.False(on.IsCompleted);
        await factory.ServerClient.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, [BillingV2], Ct);
        await on;
        Assert.True(session.IsFeatureFlagEnabled(BillingV2));

        var seeded = session.WaitForSupportStateAsync(snapshot => snapshot.State.IsFeatureFlagEnabled("beta"), Bound, Ct);
        await session.ConnectRealtimeAsync(Ct);
        emulator.SeedVisitor(seed => seed.VisitorId(visitorId).WithFlags("beta"));
        await seeded;
        await session.WaitForFeatureFlagAsync("billing-v2", enabled: false, Bound, Ct);
    }

    [Fact]
    public async Task WaitForFeatureFlagAsync_ClientDisposedOrTokenCancelled_EndsTheWait()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var client = await LoadedClientAsync(emulator);

        using var cancel = new CancellationTokenSource();
        var cancelled = client.WaitForFeatureFlagAsync(NewMessage, enabled: true, Bound, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        var waiting = client.WaitForFeatureFlagAsync(NewMessage, enabled: true, Bound, Ct);
        await client.DisposeAsync();
        var disposed = await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        Assert.Contains("\"new-message\"", disposed.Message, StringComparison.Ordinal);
    }

    private static async Task<CossistantClient> LoadedClientAsync(CossistantEmulator emulator)
    {
        var client = new CossistantClient(VisitorOptions(emulator));
        await client.FetchWebsiteAsync(Ct);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        return client;
    }
}
