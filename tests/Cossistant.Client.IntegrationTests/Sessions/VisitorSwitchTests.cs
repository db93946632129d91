using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Sessions;

/// <summary>
/// A client that changes visitor runs one session per visitor and swaps them atomically: nothing of the old
/// visitor outlives the swap or the client, and no call for one visitor can land in another's state.
/// </summary>
public sealed class VisitorSwitchTests
{
    [Fact(Timeout = 60_000)]
    public async Task ConnectedThenSwitchedThenDisposed_NoSocketOfEitherVisitorSurvives_TenRuns()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        for (var run = 0; run < 10; run++)
        {
            var client = new CossistantClient(VisitorOptions(emulator));
            await client.FetchWebsiteAsync(Ct);
            var a = client.VisitorId!;
            await client.ConnectRealtimeAsync(Ct);
            var b = emulator.CreateVisitor();

            await client.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, b);
            await client.DisposeAsync();

            Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);
            await WaitUntilAsync(() => emulator.OpenSocketsFor(a) == 0 && emulator.OpenSocketsFor(b) == 0, $"run {run}: the server saw every socket of the client close");

            // A socket opened after DisposeAsync returned would show up here (it did in 7 of 10 runs before).
            await Task.Delay(300, Ct);
            Assert.Equal(0, emulator.OpenSocketsFor(b));
            Assert.Equal(0, emulator.OpenSocketsFor(a));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task FetchForAInFlight_SwitchToBAndFetch_BGetsItsOwnRequestAndState()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holdNext = 0;
        using var http = new InterceptingHandler(async (request, forward, _) =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/support/state", StringComparison.Ordinal) && Interlocked.Exchange(ref holdNext, 0) == 1)
            {
                held.TrySetResult();
                await release.Task; // a slow server
            }

            return await forward();
        }).CreateClient();
        await using var client = new CossistantClient(VisitorOptions(emulator), http);
        await client.FetchWebsiteAsync(Ct);
        var a = client.VisitorId!;
        var b = emulator.CreateVisitor();
        await using (var server = ServerApi(emulator))
        {
            await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(a), FeatureFlagOperation.Add, ["only-a"], Ct);
            await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(b), FeatureFlagOperation.Add, ["only-b"], Ct);
        }

        Volatile.Write(ref holdNext, 1);
        var fetchA = client.FetchSupportStateAsync(cancellationToken: Ct);
        await Until.Bound(held.Task, "A's fetch is in flight");
        await client.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, b);
        var fetchB = client.FetchSupportStateAsync(cancellationToken: Ct);
        release.TrySetResult();
        await Record.ExceptionAsync(() => fetchA); // A's call belongs to A (its session may be gone): whatever it says, it is not B's
        var stateB = await fetchB;

        Assert.Equal(b, client.VisitorId);
        Assert.Equal(emulator.GetSupportState(b), stateB);
        Assert.Equal(emulator.GetSupportState(b), client.SupportState);
        Assert.False(client.IsFeatureFlagEnabled("only-a"));
        Assert.True(client.IsFeatureFlagEnabled("only-b"));
        string?[] Fetches() => [.. emulator.Requests.Where(request => request.Path == "/v1/support/state").Select(request => request.Header("X-Visitor-Id"))];

        // A's request was held, so the server records it after B's (A's call may have ended before, with its session).
        await WaitUntilAsync(() => Fetches().Length >= 2, "the server answered A's held request too");
        var fetches = Fetches();
        Assert.True(new string?[] { a, b }.Order().SequenceEqual(fetches.Order()), $"one request each, got [{string.Join(", ", fetches)}] for a={a} b={b}"); // A's reached the server last: it was held
    }

    [Fact(Timeout = 30_000)]
    public async Task WatchSubscribedWhileASlowHandlerRuns_ThenDisposed_TheStreamCompletes()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var client = new CossistantClient(VisitorOptions(emulator));
        await client.FetchWebsiteAsync(Ct);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        var entered = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        var slow = 0;
        client.SupportStateChanged += (_, _) =>
        {
            if (Interlocked.Exchange(ref slow, 1) == 0)
            {
                entered.Set();
                release.Wait(TestContext.Current.CancellationToken); // a slow handler on another thread
            }
        };
        var changing = Task.Run(() => client.FetchSupportStateAsync(force: true, Ct), Ct);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10), Ct), "the slow handler runs");

        var stream = client.WatchSupportStateAsync(Ct).GetAsyncEnumerator(Ct);
        var first = stream.MoveNextAsync(); // subscribes now, behind the slow handler
        await client.DisposeAsync();
        release.Set();

        var snapshots = 0;
        var more = await first.AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        while (more)
        {
            snapshots++;
            more = await stream.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        }

        Assert.InRange(snapshots, 0, 1); // at most the value current when it subscribed, then the end
        await stream.DisposeAsync();
        await Record.ExceptionAsync(() => changing);
    }
}
