using System.Net;
using System.Text.Json;
using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>
/// Writes the server can apply in another order than they were sent, and answers that arrive after newer news
/// (protocol §9): once every call has completed and no event is pending, the client shows exactly the server's
/// state. A handler in front of the emulator reorders, holds and replaces what goes over the wire.
/// </summary>
public sealed class WriteOrderTests
{
    private const string Step = "workspace";

    [Fact(Timeout = 30_000)]
    public async Task TwoWritesOfOneStep_ServerWouldApplyThemReversed_ClientEndsWithTheServersValue()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var patches = 0;

        // Whatever two onboarding writes are on the wire at once reach the server in reverse order.
        using var http = new InterceptingHandler(async (request, forward, _) =>
        {
            if (!InterceptingHandler.IsOnboardingPatch(request))
            {
                return await forward();
            }

            var index = Interlocked.Increment(ref patches);
            if (index == 1)
            {
                firstArrived.TrySetResult();
                await Task.WhenAny(secondAnswered.Task, releaseFirst.Task);
            }

            var response = await forward();
            if (index == 2)
            {
                secondAnswered.TrySetResult();
            }

            return response;
        }).CreateClient();
        await using var client = new CossistantClient(VisitorOptions(emulator), http);
        await client.FetchWebsiteAsync(Ct);
        await client.FetchSupportStateAsync(cancellationToken: Ct);

        var complete = client.CompleteOnboardingStepAsync(Step, Ct);
        var uncomplete = client.UncompleteOnboardingStepAsync(Step, Ct);
        Assert.False(client.GetOnboarding().Steps.Single(s => s.Id == Step).Completed); // optimistic: both applied, in call order
        await Until.Bound(firstArrived.Task, "the first write reaches the wire");
        if (Volatile.Read(ref patches) == 1)
        {
            releaseFirst.TrySetResult(); // only one write is on the wire: nothing to reorder
        }

        await Until.Bound(Task.WhenAll(complete, uncomplete), "both writes complete");

        var onServer = emulator.GetSupportState(client.VisitorId!);
        Assert.Equal(onServer, client.SupportState);
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnswerArrivesAfterAnotherTabsChange_ClientAsksTheServerAndEndsWithItsState()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holdNext = 0;

        // Tab 1's answer to its write is delayed after the server applied it (the server already told every tab).
        using var http = new InterceptingHandler(async (request, forward, _) =>
        {
            var response = await forward();
            if (InterceptingHandler.IsOnboardingPatch(request) && Interlocked.Exchange(ref holdNext, 0) == 1)
            {
                held.TrySetResult();
                await release.Task;
            }

            return response;
        }).CreateClient();
        await using var tab1 = new CossistantClient(VisitorOptions(emulator), http);
        await tab1.FetchWebsiteAsync(Ct);
        var tab2Options = VisitorOptions(emulator);
        tab2Options.VisitorIdStore = new InMemoryVisitorIdStore(tab1.VisitorId);
        await using var tab2 = new CossistantClient(tab2Options);
        await tab2.FetchWebsiteAsync(Ct);
        Assert.Equal(tab1.VisitorId, tab2.VisitorId);
        await ConnectAndSettleAsync(emulator, tab1);
        await ConnectAndSettleAsync(emulator, tab2);

        Volatile.Write(ref holdNext, 1);
        var complete = tab1.CompleteOnboardingStepAsync(Step, Ct);
        await Until.Bound(held.Task, "the server applied tab 1's write and its answer is held");
        await Until.StateAsync(tab2, snapshot => IsCompleted(snapshot.State), "tab 2 hears of tab 1's write");
        await tab2.UncompleteOnboardingStepAsync(Step, Ct);
        await tab2.SetOnboardingMetadataAsync("marker", Json("""{"after":"uncomplete"}"""), Ct);

        // Events reach a socket in order: once tab 1 shows the marker, the uncomplete reached it before.
        await Until.StateAsync(tab1, snapshot => snapshot.State.Onboarding.TryGetStep("marker", out _), "tab 1 hears of tab 2's writes");
        release.TrySetResult();
        await Until.Bound(complete, "tab 1's write completes");

        var onServer = emulator.GetSupportState(tab1.VisitorId!);
        Assert.False(IsCompleted(onServer));
        await Until.StateAsync(
            tab1, snapshot => snapshot.State.Equals(onServer) && snapshot.PendingOperations == 0, "tab 1 shows the server's state");
        Assert.Equal(onServer, tab2.SupportState);
    }

    [Fact(Timeout = 30_000)]
    public async Task WriteAppliedButAnsweredWithGatewayError_RolledBackThenTheServersStateIsShown()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        // The server applies the write; a gateway then loses the answer and says 504.
        using var http = new InterceptingHandler(async (request, forward, _) =>
        {
            var response = await forward();
            if (InterceptingHandler.IsOnboardingPatch(request))
            {
                response.Dispose();
                return new HttpResponseMessage(HttpStatusCode.GatewayTimeout) { Content = new StringContent("upstream timed out") };
            }

            return response;
        }).CreateClient();
        var options = VisitorOptions(emulator);
        options.Retry.MaxRetryAttempts = 0;
        await using var client = new CossistantClient(options, http);
        await client.FetchWebsiteAsync(Ct);
        await client.FetchSupportStateAsync(cancellationToken: Ct);

        var failure = await Assert.ThrowsAsync<CossistantApiException>(() => client.CompleteOnboardingStepAsync(Step, Ct));
        Assert.Equal(504, failure.StatusCode);

        var onServer = emulator.GetSupportState(client.VisitorId!);
        Assert.True(IsCompleted(onServer)); // the write did happen
        await Until.StateAsync(client, snapshot => snapshot.State.Equals(onServer), "the client asks the server what became of the write");
    }

    [Fact(Timeout = 30_000)]
    public async Task WriteCancelledAfterTheServerAppliedIt_RolledBackWithoutErrorThenTheServersStateIsShown()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = new InterceptingHandler(async (request, forward, cancellationToken) =>
        {
            var response = await forward();
            if (InterceptingHandler.IsOnboardingPatch(request))
            {
                applied.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken); // the answer never comes before the caller gives up
            }

            return response;
        }).CreateClient();
        await using var client = new CossistantClient(VisitorOptions(emulator), http);
        await client.FetchWebsiteAsync(Ct);
        await client.FetchSupportStateAsync(cancellationToken: Ct);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var complete = client.CompleteOnboardingStepAsync(Step, cancel.Token);
        await Until.Bound(applied.Task, "the server applied the write");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => complete);

        var onServer = emulator.GetSupportState(client.VisitorId!);
        Assert.True(IsCompleted(onServer));
        await Until.StateAsync(client, snapshot => snapshot.State.Equals(onServer), "the client asks the server what became of the write");
        Assert.Null(client.SupportStateSnapshot.Error);
    }

    private static bool IsCompleted(SupportState state) => state.Onboarding.TryGetStep(Step, out var step) && step.Completed;

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
