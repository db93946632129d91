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
    public async Task CompleteOnboardingStepAsync_ServerError_RollsBackOnlyThatStepAndRecordsError()
    {
        var client = await _api.VisitorClientAsync(configure: options =>
        {
            options.Support = TestSupport.Config;
            options.Retry.MaxRetryAttempts = 0;
        });
        _api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""");
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        _api.Given("PATCH", "/v1/support/onboarding", 500, """{"error":"INTERNAL_SERVER_ERROR","message":"boom"}""");

        var exception = await Assert.ThrowsAsync<CossistantApiException>(
            () => client.CompleteOnboardingStepAsync(TestSupport.InviteTeam, Ct));

        Assert.Equal(500, exception.StatusCode);
        Assert.Single(_api.RequestsTo("PATCH", "/v1/support/onboarding"));
        var state = client.SupportState;
        Assert.False(state.Onboarding.TryGetStep("invite-team", out _));
        Assert.True(state.Onboarding.TryGetStep("workspace", out var workspace));
        Assert.True(workspace.Completed);
        Assert.True(client.IsFeatureFlagEnabled("beta"));
        Assert.Equal(SupportStateStatus.Error, client.Status);
        Assert.Same(exception, client.SupportStateSnapshot.Error);
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
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
    public async Task FetchSupportStateAsync_AnswerOlderThanPatchAnswer_DoesNotReplaceNewerBase()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState(TestData.EmptyStateBody, delay: TimeSpan.FromMilliseconds(400));
        const string patched = """{"featureFlags":["beta"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""";
        _api.Given("PATCH", "/v1/support/onboarding", 200, patched);

        var fetch = client.FetchSupportStateAsync(cancellationToken: Ct); // sent first, answered last (stale)
        await client.CompleteOnboardingStepAsync("workspace", Ct);
        await fetch;

        Assert.Equal(SupportState.Parse(patched), client.SupportState);
        Assert.True(client.IsFeatureFlagEnabled("beta"));
        Assert.Equal(SupportStateStatus.Success, client.Status);
        Assert.Contains(_api.Logs.Entries, entry => entry.Message.Contains("ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchSupportStateAsync_DuringPendingOperation_KeepsOperationApplied()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState(TestData.EmptyStateBody);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        const string patched = """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""";
        _api.Given("PATCH", "/v1/support/onboarding", 200, patched, delay: TimeSpan.FromMilliseconds(400));
        _api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}""");

        var pending = client.CompleteOnboardingStepAsync("workspace", Ct);
        await client.FetchSupportStateAsync(force: true, Ct);

        Assert.True(client.IsFeatureFlagEnabled("beta")); // the newer base
        Assert.True(client.SupportState.Onboarding.TryGetStep("workspace", out var step)); // plus the pending operation
        Assert.True(step.Completed);
        Assert.Equal(1, client.SupportStateSnapshot.PendingOperations);

        await pending;
        Assert.True(client.IsFeatureFlagEnabled("beta")); // the PATCH answer was sent before the fetch: it must not win
        Assert.True(client.SupportState.Onboarding.TryGetStep("workspace", out step));
        Assert.True(step.Completed);

        // The confirmed operation stays applied until a server state newer than its answer arrives.
        _api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}""");
        await client.FetchSupportStateAsync(force: true, Ct);
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        Assert.True(client.SupportState.Onboarding.TryGetStep("workspace", out step));
        Assert.True(step.Completed);
    }

    [Fact]
    public async Task OnboardingOperations_OlderOneFailsAfterNewerSucceeds_RemovesOnlyTheFailedOne()
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

        var first = client.CompleteOnboardingStepAsync("workspace", Ct);
        await client.CompleteOnboardingStepAsync("invite-team", Ct);

        Assert.True(client.SupportState.Onboarding.TryGetStep("workspace", out _)); // still pending on top of the new base
        Assert.True(client.SupportState.Onboarding.TryGetStep("invite-team", out _));

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => first);

        Assert.Equal(503, exception.StatusCode);
        Assert.Equal(SupportState.Parse(inviteDone), client.SupportState);
        Assert.Equal(SupportStateStatus.Error, client.Status);
        Assert.Same(exception, client.SupportStateSnapshot.Error);
    }

    [Fact]
    public async Task OnboardingOperations_OneFailsWhileAnotherIsPending_KeepsThePendingOne()
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

        var slow = client.CompleteOnboardingStepAsync("invite-team", Ct);
        await Assert.ThrowsAsync<CossistantApiException>(() => client.CompleteOnboardingStepAsync("workspace", Ct));

        Assert.False(slow.IsCompleted);
        Assert.False(client.SupportState.Onboarding.TryGetStep("workspace", out _));
        Assert.True(client.SupportState.Onboarding.TryGetStep("invite-team", out var invite));
        Assert.True(invite.Completed);
        Assert.True(client.SupportState.Onboarding.TryGetStep("welcome", out _));
        Assert.Equal(1, client.SupportStateSnapshot.PendingOperations);
        Assert.Equal(SupportStateStatus.Error, client.Status);

        await slow;
        Assert.Equal(SupportState.Parse(inviteDone), client.SupportState);
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        Assert.Equal(SupportStateStatus.Success, client.Status);
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
    public async Task SetWebsiteContext_OtherVisitor_ClearsStateAndUsesNewId()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}""");
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        Assert.True(client.IsFeatureFlagEnabled("beta"));
        var other = TestData.NewVisitorId();

        client.SetWebsiteContext(TestData.WebsiteId, other);

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
    public void SetWebsiteContext_InvalidVisitorId_ThrowsArgumentException(string visitorId)
    {
        var client = _api.PrivateClient();

        Assert.Throws<ArgumentException>(() => client.SetWebsiteContext(TestData.WebsiteId, visitorId));
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
}
