using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.TestingKit.KitSupport;

namespace Cossistant.Client.IntegrationTests.TestingKit;

/// <summary>
/// <see cref="CossistantEmulator.WaitForRequestAsync"/>: signalled when the emulator records a request (after it has
/// written the answer), so a test waits for the record itself instead of polling <see cref="CossistantEmulator.Requests"/>.
/// </summary>
public sealed class WaitForRequestTests
{
    [Fact]
    public async Task WaitForRequestAsync_RequestRecordedLater_CompletesWithThatRequest()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = new CossistantClient(VisitorOptions(emulator));
        await client.FetchWebsiteAsync(Ct);

        var patch = emulator.WaitForRequestAsync(request => request.Method == "PATCH" && request.Path == "/v1/support/onboarding", Bound, Ct);
        Assert.False(patch.IsCompleted);
        await client.CompleteOnboardingStepAsync(InviteTeam, Ct);

        var recorded = await patch;
        Assert.Equal(200, recorded.StatusCode);
        Assert.Equal(client.VisitorId, recorded.Header("X-Visitor-Id"));
        Assert.Contains("\"invite-team\"", recorded.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForRequestAsync_AlreadyRecorded_CompletesAtOnceWithTheFirstMatch()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = new CossistantClient(VisitorOptions(emulator));
        await client.FetchWebsiteAsync(Ct);
        await emulator.WaitForRequestAsync(request => request.Path == "/v1/websites", Bound, Ct);

        var found = emulator.WaitForRequestAsync(request => request.Path == "/v1/websites", Bound, Ct);

        Assert.True(found.IsCompletedSuccessfully);
        Assert.Same(emulator.Requests.First(request => request.Path == "/v1/websites"), await found);
    }

    [Fact]
    public async Task WaitForRequestAsync_NoMatch_ThrowsTimeoutExceptionListingTheRecordedRequestsWithoutKeys()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = new CossistantClient(VisitorOptions(emulator));
        await client.FetchWebsiteAsync(Ct);
        await emulator.WaitForRequestAsync(request => request.Path == "/v1/websites", Bound, Ct);

        var timeout = await Assert.ThrowsAsync<TimeoutException>(
            () => emulator.WaitForRequestAsync(request => request.Method == "DELETE", TimeSpan.FromMilliseconds(200), Ct));

        Assert.Contains("request.Method == \"DELETE\"", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("GET /v1/websites 200", timeout.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.DefaultWebsite.PublicKey, timeout.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.DefaultWebsite.PrivateApiKey, timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForRequestAsync_ManyConcurrentRequests_EveryWaiterGetsItsOwnRequest()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitors = Enumerable.Range(0, 8).Select(_ => emulator.CreateVisitor()).ToList();
        var waits = visitors.Select(id => emulator.WaitForRequestAsync(request => request.Header("X-Visitor-Id") == id, Bound, Ct)).ToList();

        await Task.WhenAll(visitors.Select(id => GetStateAsync(emulator, id)));

        var recorded = await Task.WhenAll(waits);
        Assert.Equal(visitors, recorded.Select(request => request.Header("X-Visitor-Id")));
        Assert.All(recorded, request => Assert.Equal(200, request.StatusCode));
    }

    [Fact]
    public async Task WaitForRequestAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        using var cancel = new CancellationTokenSource();

        var waiting = emulator.WaitForRequestAsync(_ => true, Bound, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
