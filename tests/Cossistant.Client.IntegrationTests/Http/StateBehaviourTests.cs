using System.Collections.Concurrent;
using Cossistant.Client.IntegrationTests.Infrastructure;

namespace Cossistant.Client.IntegrationTests.Http;

/// <summary>Caching, sharing, optimistic updates, rollback, guards and change notifications.</summary>
public sealed class StateBehaviourTests : IDisposable
{
    private const string StateWithFlags =
        """{"featureFlags":["billing-v2","new-message"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":{"workspaceName":"Acme"}},"invite-team":{"completed":false,"metadata":null}}}}""";

    private readonly FakeApi _api = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task FetchSupportStateAsync_TwiceNotForced_SendsOneRequest()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState(StateWithFlags);

        var first = await client.FetchSupportStateAsync(cancellationToken: Ct);
        var second = await client.FetchSupportStateAsync(cancellationToken: Ct);

        Assert.Single(_api.RequestsTo("GET", "/v1/support/state"));
        Assert.Same(first, second);
        Assert.Equal(SupportStateStatus.Success, client.Status);
    }

    [Fact]
    public async Task FetchSupportStateAsync_ConcurrentNotForced_ShareOneRequest()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState(StateWithFlags, delay: TimeSpan.FromMilliseconds(300));

        var fetches = Enumerable.Range(0, 5).Select(_ => client.FetchSupportStateAsync(cancellationToken: Ct)).ToArray();
        Assert.Equal(SupportStateStatus.Loading, client.Status);
        var states = await Task.WhenAll(fetches);

        Assert.Single(_api.RequestsTo("GET", "/v1/support/state"));
        Assert.All(states, state => Assert.Same(states[0], state));
        Assert.Equal(["billing-v2", "new-message"], states[0].FeatureFlags);
    }

    [Fact]
    public async Task FetchSupportStateAsync_Forced_SendsAnotherRequest()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState(TestData.EmptyStateBody);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        _api.GivenState(StateWithFlags);

        var state = await client.FetchSupportStateAsync(force: true, Ct);

        Assert.Equal(2, _api.RequestsTo("GET", "/v1/support/state").Count);
        Assert.True(state.IsFeatureFlagEnabled("new-message"));
        Assert.True(client.IsFeatureFlagEnabled(TestSupport.NewMessage));
    }

    [Fact]
    public async Task IsFeatureFlagEnabled_BeforeAndAfterLoad_FalseThenTrue()
    {
        var client = await _api.VisitorClientAsync(configure: options => options.Support = TestSupport.Config);
        _api.GivenState(StateWithFlags);

        Assert.False(client.IsFeatureFlagEnabled(TestSupport.NewMessage));
        Assert.False(client.IsFeatureFlagEnabled("new-message"));
        Assert.Equal(SupportStateStatus.Idle, client.Status);

        await client.FetchSupportStateAsync(cancellationToken: Ct);

        Assert.True(client.IsFeatureFlagEnabled(TestSupport.NewMessage));
        Assert.True(client.IsFeatureFlagEnabled("new-message"));
        Assert.True(client.IsFeatureFlagEnabled(TestSupport.BillingV2));
        Assert.False(client.IsFeatureFlagEnabled("New-Message")); // case-sensitive
        Assert.False(client.IsFeatureFlagEnabled("beta"));
        var onboarding = client.GetOnboarding();
        Assert.Equal("invite-team", onboarding.CurrentStepId);
        Assert.Equal(new WorkspaceMetadata("Acme"), onboarding.GetMetadata(TestSupport.Workspace));
    }

    [Fact]
    public async Task CompleteOnboardingStepAsync_DelayedResponse_StateIsOptimisticBeforeAnswer()
    {
        var client = await _api.VisitorClientAsync(configure: options => options.Support = TestSupport.Config);
        _api.GivenState(TestData.EmptyStateBody);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        const string serverBody =
            """{"featureFlags":["new-message"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":{"workspaceName":"Server"}}}}}""";
        _api.Given("PATCH", "/v1/support/onboarding", 200, serverBody, delay: TimeSpan.FromMilliseconds(300));

        var pending = client.CompleteOnboardingStepAsync(TestSupport.Workspace, Ct);

        Assert.False(pending.IsCompleted);
        Assert.True(client.SupportState.Onboarding.TryGetStep("workspace", out var optimistic));
        Assert.True(optimistic.Completed);
        Assert.Null(optimistic.Metadata);
        Assert.Equal(1, client.SupportStateSnapshot.PendingOperations);
        Assert.True(client.GetOnboarding().IsStepCompleted(TestSupport.Workspace));
        Assert.False(client.IsFeatureFlagEnabled("new-message"));

        var returned = await pending;

        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        Assert.Equal(SupportState.Parse(serverBody), client.SupportState);
        Assert.Equal(SupportState.Parse(serverBody), returned);
        Assert.True(client.IsFeatureFlagEnabled("new-message"));
        Assert.Equal(SupportStateStatus.Success, client.Status);
    }

    [Fact]
    public async Task CompleteOnboardingStepAsync_ServerError_RollsBackOnlyThatStepRecordsErrorThenAsksTheServer()
    {
        var client = await _api.VisitorClientAsync(configure: options =>
        {
            options.Support = TestSupport.Config;
            options.Retry.MaxRetryAttempts = 0;
        });
        const string server = """{"featureFlags":["beta"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""";
        _api.GivenState(server);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        _api.Given("PATCH", "/v1/support/onboarding", 500, """{"error":"INTERNAL_SERVER_ERROR","message":"boom"}""");
        var errors = RecordErrors(client);

        var exception = await Assert.ThrowsAsync<CossistantApiException>(
            () => client.CompleteOnboardingStepAsync(TestSupport.InviteTeam, Ct));

        Assert.Equal(500, exception.StatusCode);
        Assert.Single(_api.RequestsTo("PATCH", "/v1/support/onboarding"));

        // Rolled back at once, with the error announced.
        Assert.True(errors.TryPeek(out var failed));
        Assert.Same(exception, failed.Error);
        Assert.False(failed.State.Onboarding.TryGetStep("invite-team", out _));
        Assert.True(failed.State.Onboarding.TryGetStep("workspace", out var workspace));
        Assert.True(workspace.Completed);
        Assert.True(failed.State.IsFeatureFlagEnabled("beta"));
        Assert.Equal(0, failed.PendingOperations);
        Assert.False(failed.IsSettled);

        // A 500 may follow a change the server made: the client asks once and shows what the server holds.
        var settled = await Until.StateAsync(client, snapshot => snapshot.IsSettled, "the client asked the server");
        Assert.Equal(SupportState.Parse(server), settled.State);
        Assert.Equal(2, _api.RequestsTo("GET", "/v1/support/state").Count);
    }

    [Fact]
    public async Task MutateSupportFeatureFlagsAsync_PublicKeyOnly_ThrowsBeforeAnyRequest()
    {
        var client = _api.PublicClient();
        _api.Given("PATCH", "/v1/support/feature-flags", 200, """{"target":{"type":"visitor","id":"v"},"flags":[]}""");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => client.MutateSupportFeatureFlagsAsync(
            FeatureFlagTarget.Visitor(TestData.NewVisitorId()), FeatureFlagOperation.Add, ["new-message"], Ct));

        Assert.Contains("PrivateApiKey", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Server.LogEntries);
    }

    [Theory]
    [InlineData("bad,flag")]
    [InlineData("   ")]
    [InlineData("")]
    public async Task MutateSupportFeatureFlagsAsync_InvalidFlagName_ThrowsArgumentExceptionBeforeAnyRequest(string flag)
    {
        var client = _api.PrivateClient();
        _api.Given("PATCH", "/v1/support/feature-flags", 200, """{"target":{"type":"visitor","id":"v"},"flags":[]}""");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.MutateSupportFeatureFlagsAsync(
            FeatureFlagTarget.Contact("c_1"), FeatureFlagOperation.Add, ["ok", flag], Ct));

        Assert.Empty(_api.Server.LogEntries);
    }

    [Fact]
    public async Task BlockedVisitor_VisitorCalls_ThrowVisitorBlockedWithoutRequests()
    {
        _api.GivenWebsite(TestData.NewVisitorId(), isBlocked: true);
        _api.GivenState(TestData.EmptyStateBody);
        _api.Given("PATCH", "/v1/support/onboarding", 200, TestData.EmptyStateBody);
        var client = _api.PublicClient(options => options.Support = TestSupport.Config);
        await client.FetchWebsiteAsync(Ct);
        Assert.True(client.IsVisitorBlocked);

        var fetch = await Assert.ThrowsAsync<CossistantException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));
        var complete = await Assert.ThrowsAsync<CossistantException>(() => client.CompleteOnboardingStepAsync(TestSupport.Workspace, Ct));
        var byId = await Assert.ThrowsAsync<CossistantException>(() => client.CompleteOnboardingStepAsync("workspace", Ct));
        var reset = await Assert.ThrowsAsync<CossistantException>(() => client.ResetOnboardingAsync(Ct));
        var identify = await Assert.ThrowsAsync<CossistantException>(
            () => client.IdentifyAsync(new IdentifyRequest { Email = "a@example.test" }, Ct));

        Assert.All([fetch, complete, byId, reset, identify], exception => Assert.Equal(CossistantErrorCodes.VisitorBlocked, exception.ErrorCode));
        var request = Assert.Single(_api.Requests);
        Assert.Equal("/v1/websites", request.AbsolutePath);
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        Assert.Empty(client.SupportState.Onboarding.Steps);
    }

    [Fact]
    public async Task VisitorCalls_BeforeAnyVisitor_ThrowInvalidOperationWithoutRequests()
    {
        _api.GivenState(TestData.EmptyStateBody);
        var client = _api.PublicClient(options => options.Support = TestSupport.Config);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.CompleteOnboardingStepAsync(TestSupport.Workspace, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.UncompleteOnboardingStepAsync("workspace", Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SetOnboardingMetadataAsync(TestSupport.Workspace, null, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.ResetOnboardingAsync(Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-1" }, Ct));

        Assert.Empty(_api.Server.LogEntries);
        Assert.Equal(SupportStateStatus.Idle, client.Status);
    }

    [Fact]
    public async Task SupportStateChanged_AfterFetch_ReportsAddedFlag()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}""");
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        var changes = new ConcurrentQueue<SupportStateChangedEventArgs>();
        client.SupportStateChanged += (sender, change) =>
        {
            Assert.Same(client, sender);
            changes.Enqueue(change);
        };
        _api.GivenState("""{"featureFlags":["beta","new-message"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""");

        await client.FetchSupportStateAsync(force: true, Ct);

        var flagChange = Assert.Single(changes, change => change.FlagsChanged);
        Assert.Equal(["new-message"], flagChange.FlagsAdded);
        Assert.Empty(flagChange.FlagsRemoved);
        Assert.Equal(["workspace"], flagChange.StepsChanged);
        Assert.Same(client.SupportStateSnapshot, changes.Last().Current);
        Assert.Contains(changes, change => change.Current.Status == SupportStateStatus.Loading);
    }

    [Fact]
    public async Task SupportStateChanges_Subscribe_GetsCurrentSnapshotFirstThenChanges()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}""");
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        var loaded = client.SupportStateSnapshot;
        var observer = new RecordingObserver();

        using (client.SupportStateChanges.Subscribe(observer))
        {
            Assert.Same(loaded, Assert.Single(observer.Values));

            _api.GivenState("""{"featureFlags":["beta","new-message"],"onboarding":{"steps":{}}}""");
            await client.FetchSupportStateAsync(force: true, Ct);
        }

        var values = observer.Values;
        Assert.True(values.Count >= 2, $"Expected the current snapshot and at least one change, got {values.Count}.");
        Assert.Same(loaded, values[0]);
        Assert.True(values[^1].State.IsFeatureFlagEnabled("new-message"));
        Assert.Equal(SupportStateStatus.Success, values[^1].Status);
        Assert.True(values.Zip(values.Skip(1)).All(pair => pair.First.Version < pair.Second.Version), "Snapshots out of order.");

        var countAfterUnsubscribe = values.Count;
        await client.FetchSupportStateAsync(force: true, Ct);
        Assert.Equal(countAfterUnsubscribe, observer.Values.Count);
    }

    [Fact]
    public async Task WatchSupportStateAsync_Stream_YieldsCurrentThenNewest()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}""");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        await using var stream = client.WatchSupportStateAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await stream.MoveNextAsync());
        Assert.Equal(SupportStateStatus.Idle, stream.Current.Status);

        await client.FetchSupportStateAsync(cancellationToken: Ct);
        SupportStateSnapshot last;
        do
        {
            Assert.True(await stream.MoveNextAsync());
            last = stream.Current;
        }
        while (last.Status != SupportStateStatus.Success);

        Assert.True(last.State.IsFeatureFlagEnabled("beta"));
    }

    [Fact]
    public async Task FetchThenPatch_PatchWaitsForTheFetchsAnswer_SoNoAnswerIsOlderThanTheBase()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState(TestData.EmptyStateBody, delay: TimeSpan.FromMilliseconds(400));
        const string patched = """{"featureFlags":["beta"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""";
        _api.Given("PATCH", "/v1/support/onboarding", 200, patched);

        var fetch = client.FetchSupportStateAsync(cancellationToken: Ct);
        await client.CompleteOnboardingStepAsync("workspace", Ct);
        await fetch;

        Assert.Equal(SupportState.Parse(patched), client.SupportState);
        Assert.True(client.SupportStateSnapshot.IsSettled);
        Assert.DoesNotContain(_api.Logs.Entries, entry => entry.Message.Contains("ignored", StringComparison.Ordinal));
        var get = Assert.Single(_api.RequestsTo("GET", "/v1/support/state"));
        var patch = Assert.Single(_api.RequestsTo("PATCH", "/v1/support/onboarding"));
        Assert.True(patch.DateTime - get.DateTime >= TimeSpan.FromMilliseconds(350), "the PATCH went out before the GET was answered");
    }

    [Fact]
    public async Task FetchDuringPendingWrite_WaitsForTheWrite_ThenItsAnswerIsTheBase()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState(TestData.EmptyStateBody);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        const string patched = """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""";
        _api.Given("PATCH", "/v1/support/onboarding", 200, patched, delay: TimeSpan.FromMilliseconds(400));
        const string later = """{"featureFlags":["beta"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""";
        _api.GivenState(later);

        var pending = client.CompleteOnboardingStepAsync("workspace", Ct);
        Assert.True(client.SupportState.Onboarding.TryGetStep("workspace", out var step)); // optimistic
        Assert.True(step.Completed);
        var fetched = await client.FetchSupportStateAsync(force: true, Ct);
        await pending;

        Assert.Equal(SupportState.Parse(later), fetched);
        Assert.Equal(SupportState.Parse(later), client.SupportState);
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        Assert.True(client.SupportStateSnapshot.IsSettled);
        var patch = Assert.Single(_api.RequestsTo("PATCH", "/v1/support/onboarding"));
        var get = _api.RequestsTo("GET", "/v1/support/state")[^1];
        Assert.True(get.DateTime - patch.DateTime >= TimeSpan.FromMilliseconds(350), "the GET went out before the PATCH was answered");
    }

    [Fact]
    public async Task TwoWrites_FirstFailsWith503_SecondSentAfterItAndOnlyTheFirstRolledBack()
    {
        var client = await _api.VisitorClientAsync(configure: options => options.Retry.MaxRetryAttempts = 0);
        _api.GivenState(TestData.EmptyStateBody);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        _api.Server
            .Given(WireMock.RequestBuilders.Request.Create().WithPath("/v1/support/onboarding").UsingPatch()
                .WithBody(new WireMock.Matchers.ExactMatcher("""{"stepId":"workspace","completed":true}""")))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(503).WithBody("unavailable")
                .WithDelay(TimeSpan.FromMilliseconds(400)));
        const string inviteDone = """{"featureFlags":[],"onboarding":{"steps":{"invite-team":{"completed":true,"metadata":null}}}}""";
        _api.Server
            .Given(WireMock.RequestBuilders.Request.Create().WithPath("/v1/support/onboarding").UsingPatch()
                .WithBody(new WireMock.Matchers.ExactMatcher("""{"stepId":"invite-team","completed":true}""")))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200)
                .WithHeader("Content-Type", "application/json").WithBody(inviteDone));
        _api.GivenState(inviteDone);
        var errors = RecordErrors(client);

        var first = client.CompleteOnboardingStepAsync("workspace", Ct);
        var second = client.CompleteOnboardingStepAsync("invite-team", Ct);
        Assert.True(client.SupportState.Onboarding.TryGetStep("workspace", out _)); // both applied at once
        Assert.True(client.SupportState.Onboarding.TryGetStep("invite-team", out _));

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => first);
        await second;

        Assert.Equal(503, exception.StatusCode);
        Assert.Contains(errors, snapshot => ReferenceEquals(snapshot.Error, exception));
        var settled = await Until.StateAsync(client, snapshot => snapshot.IsSettled, "the client asked what became of the 503");
        Assert.Equal(SupportState.Parse(inviteDone), settled.State);
        var patches = _api.RequestsTo("PATCH", "/v1/support/onboarding");
        Assert.Equal(2, patches.Count);
        Assert.Contains("workspace", patches[0].Body, StringComparison.Ordinal);
        Assert.True(patches[1].DateTime - patches[0].DateTime >= TimeSpan.FromMilliseconds(350), "the second write overtook the first");
    }

    [Fact]
    public async Task TwoWrites_SecondFailsAfterTheFirstSucceeded_OnlyTheSecondRolledBack()
    {
        var client = await _api.VisitorClientAsync(configure: options => options.Retry.MaxRetryAttempts = 0);
        _api.GivenState("""{"featureFlags":[],"onboarding":{"steps":{"welcome":{"completed":true,"metadata":null}}}}""");
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        const string inviteDone =
            """{"featureFlags":[],"onboarding":{"steps":{"welcome":{"completed":true,"metadata":null},"invite-team":{"completed":true,"metadata":null}}}}""";
        _api.Server
            .Given(WireMock.RequestBuilders.Request.Create().WithPath("/v1/support/onboarding").UsingPatch()
                .WithBody(new WireMock.Matchers.ExactMatcher("""{"stepId":"invite-team","completed":true}""")))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200)
                .WithHeader("Content-Type", "application/json").WithBody(inviteDone).WithDelay(TimeSpan.FromMilliseconds(400)));
        _api.Server
            .Given(WireMock.RequestBuilders.Request.Create().WithPath("/v1/support/onboarding").UsingPatch()
                .WithBody(new WireMock.Matchers.ExactMatcher("""{"stepId":"workspace","completed":true}""")))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(500).WithBody("boom"));
        _api.GivenState(inviteDone);

        var slow = client.CompleteOnboardingStepAsync("invite-team", Ct);
        var failing = client.CompleteOnboardingStepAsync("workspace", Ct);
        Assert.Equal(2, client.SupportStateSnapshot.PendingOperations);

        await slow;
        Assert.True(client.SupportState.Onboarding.TryGetStep("workspace", out _)); // still waiting for its answer
        await Assert.ThrowsAsync<CossistantApiException>(() => failing);

        Assert.False(client.SupportState.Onboarding.TryGetStep("workspace", out _));
        Assert.True(client.SupportState.Onboarding.TryGetStep("invite-team", out var invite));
        Assert.True(invite.Completed);
        var settled = await Until.StateAsync(client, snapshot => snapshot.IsSettled, "the client asked what became of the 500");
        Assert.Equal(SupportState.Parse(inviteDone), settled.State);
        Assert.Equal(SupportStateStatus.Success, settled.Status);
    }

    [Fact]
    public async Task FetchSupportStateAsync_AfterFailure_AsksAgain()
    {
        var client = await _api.VisitorClientAsync(configure: options => options.Retry.MaxRetryAttempts = 0);
        _api.Given("GET", "/v1/support/state", 500, """{"error":"INTERNAL","message":"boom"}""");
        await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));
        _api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}""");

        var state = await client.FetchSupportStateAsync(cancellationToken: Ct);

        Assert.Equal(2, _api.RequestsTo("GET", "/v1/support/state").Count);
        Assert.True(state.IsFeatureFlagEnabled("beta"));
        Assert.Equal(SupportStateStatus.Success, client.Status);
        Assert.Null(client.SupportStateSnapshot.Error);
    }

    [Fact]
    public async Task FetchSupportStateAsync_OneSharedCallerCancels_OthersStillGetState()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}""", delay: TimeSpan.FromMilliseconds(300));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var cancelled = client.FetchSupportStateAsync(cancellationToken: cts.Token);
        var other = client.FetchSupportStateAsync(cancellationToken: Ct);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var state = await other;
        Assert.True(state.IsFeatureFlagEnabled("beta"));
        Assert.Single(_api.RequestsTo("GET", "/v1/support/state"));
    }

    [Fact]
    public async Task SetWebsiteContextAsync_OtherVisitor_NewSessionWithEmptyStateAndTheNewId()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}""");
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        Assert.True(client.IsFeatureFlagEnabled("beta"));
        var other = TestData.NewVisitorId();

        await client.SetWebsiteContextAsync(TestData.WebsiteId, other);

        Assert.False(client.IsFeatureFlagEnabled("beta"));
        Assert.Equal(SupportStateStatus.Idle, client.Status);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        var requests = _api.RequestsTo("GET", "/v1/support/state");
        Assert.Equal(2, requests.Count);
        Assert.Equal(other, FakeApi.Header(requests[1], "X-Visitor-Id"));
    }

    [Theory]
    [InlineData("01m89bs72zmxq64jp8k5n8ppsf")]
    [InlineData("not-a-ulid")]
    public async Task SetWebsiteContextAsync_InvalidVisitorId_ThrowsArgumentException(string visitorId)
    {
        var client = _api.PrivateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.SetWebsiteContextAsync(TestData.WebsiteId, visitorId));
        Assert.Null(client.VisitorId);
    }

    [Fact]
    public async Task IdentifyAsync_InvalidRequests_ThrowBeforeAnyRequest()
    {
        var client = await _api.VisitorClientAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => client.IdentifyAsync(new IdentifyRequest { Name = "No Id" }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.IdentifyAsync(new IdentifyRequest { Email = "  " }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.IdentifyAsync(
            new IdentifyRequest { VisitorId = TestData.NewVisitorId(), ExternalId = "ext-1" }, Ct));

        Assert.Empty(_api.Server.LogEntries);
    }

    private sealed class RecordingObserver : IObserver<SupportStateSnapshot>
    {
        private readonly ConcurrentQueue<SupportStateSnapshot> _values = new();

        public IReadOnlyList<SupportStateSnapshot> Values => [.. _values];

        public void OnCompleted()
        {
        }

        public void OnError(Exception error) => Assert.Fail("Unexpected OnError: " + error);

        public void OnNext(SupportStateSnapshot value) => _values.Enqueue(value);
    }

    private static System.Collections.Concurrent.ConcurrentQueue<SupportStateSnapshot> RecordErrors(CossistantClient client)
    {
        var errors = new System.Collections.Concurrent.ConcurrentQueue<SupportStateSnapshot>();
        client.SupportStateChanged += (_, change) =>
        {
            if (change.Current.Status == SupportStateStatus.Error)
            {
                errors.Enqueue(change.Current);
            }
        };
        return errors;
    }
}
