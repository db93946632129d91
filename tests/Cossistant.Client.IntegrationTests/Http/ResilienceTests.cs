using System.Diagnostics;
using Cossistant.Client.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Cossistant.Client.IntegrationTests.Http;

/// <summary>Retries (5xx, 429 with Retry-After on fake time), no retry on 4xx, and cancellation.</summary>
public sealed class ResilienceTests : IDisposable
{
    private readonly FakeApi _api = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _api.Dispose();

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(408)]
    public async Task FetchSupportStateAsync_TransientThenOk_RetriesAndSucceeds(int status)
    {
        var client = await _api.VisitorClientAsync();
        _api.Server.Given(Request.Create().WithPath("/v1/support/state").UsingGet())
            .InScenario("s").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/plain").WithBody("Service Unavailable"));
        _api.Server.Given(Request.Create().WithPath("/v1/support/state").UsingGet())
            .InScenario("s").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}"""));

        var state = await client.FetchSupportStateAsync(cancellationToken: Ct);

        Assert.Equal(2, _api.RequestsTo("GET", "/v1/support/state").Count);
        Assert.True(state.IsFeatureFlagEnabled("beta"));
        Assert.Equal(SupportStateStatus.Success, client.Status);
        Assert.Contains(_api.Logs.Entries, entry => entry.Message.Contains("Retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteOnboardingStepAsync_503ThenOk_RetriesPatchWithSameBody()
    {
        var client = await _api.VisitorClientAsync();
        _api.Server.Given(Request.Create().WithPath("/v1/support/onboarding").UsingPatch())
            .InScenario("p").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("unavailable"));
        _api.Server.Given(Request.Create().WithPath("/v1/support/onboarding").UsingPatch())
            .InScenario("p").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}"""));

        await client.CompleteOnboardingStepAsync("workspace", Ct);

        var requests = _api.RequestsTo("PATCH", "/v1/support/onboarding");
        Assert.Equal(2, requests.Count);
        Assert.All(requests, request => Assert.Equal("""{"stepId":"workspace","completed":true}""", request.Body));
        Assert.Equal(SupportStateStatus.Success, client.Status);
    }

    [Fact]
    public async Task FetchSupportStateAsync_429WithRetryAfter_WaitsOnTimeProvider()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:44:40Z", System.Globalization.CultureInfo.InvariantCulture));
        var client = await _api.VisitorClientAsync(configure: options => options.TimeProvider = time);
        _api.Server.Given(Request.Create().WithPath("/v1/support/state").UsingGet())
            .InScenario("r").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Content-Type", "text/plain").WithHeader("Retry-After", "20")
                .WithBody("Too many requests, please try again later."));
        _api.Server.Given(Request.Create().WithPath("/v1/support/state").UsingGet())
            .InScenario("r").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(TestData.EmptyStateBody));

        var fetch = client.FetchSupportStateAsync(cancellationToken: Ct);
        await _api.WaitForRequestsAsync(1);
        await _api.WaitForLogAsync("Retrying"); // the retry strategy is about to wait on the fake clock
        await Task.Delay(100, Ct);

        time.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(200, Ct);
        Assert.Single(_api.Requests);
        Assert.False(fetch.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(2));
        var state = await fetch.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        Assert.Equal(2, _api.Requests.Count);
        Assert.Empty(state.FeatureFlags);
        Assert.Contains(_api.Logs.Entries, entry => entry.Message.Contains("00:00:20", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchSupportStateAsync_503WithRetryAfterDate_WaitsUntilThatDate()
    {
        var now = DateTimeOffset.Parse("2026-11-25T12:44:40Z", System.Globalization.CultureInfo.InvariantCulture);
        var time = new FakeTimeProvider(now);
        var client = await _api.VisitorClientAsync(configure: options => options.TimeProvider = time);
        _api.Server.Given(Request.Create().WithPath("/v1/support/state").UsingGet())
            .InScenario("d").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", now.AddSeconds(30).ToString("R"))
                .WithBody("Service Unavailable"));
        _api.Server.Given(Request.Create().WithPath("/v1/support/state").UsingGet())
            .InScenario("d").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(TestData.EmptyStateBody));

        var fetch = client.FetchSupportStateAsync(cancellationToken: Ct);
        await _api.WaitForLogAsync("Retrying");
        await Task.Delay(100, Ct);

        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200, Ct);
        Assert.Single(_api.Requests);

        time.Advance(TimeSpan.FromSeconds(2));
        await fetch.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task FetchSupportStateAsync_AttemptTimesOut_RetriedThenTimeoutError()
    {
        var client = await _api.VisitorClientAsync(configure: options =>
        {
            options.Retry.MaxRetryAttempts = 1;
            options.Retry.AttemptTimeout = TimeSpan.FromMilliseconds(200);
        });
        _api.GivenState(TestData.EmptyStateBody, delay: TimeSpan.FromSeconds(1)); // would succeed without the attempt timeout

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(CossistantErrorCodes.Timeout, exception.ErrorCode);
        Assert.Null(exception.StatusCode);
        Assert.Contains(_api.Logs.Entries, entry => entry.Message.Contains("Retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchSupportStateAsync_429RetryAfterBeyondMax_FailsAtOnceWith429()
    {
        var client = await _api.VisitorClientAsync(configure: options => options.Retry.MaxRetryAfter = TimeSpan.FromSeconds(10));
        _api.Given("GET", "/v1/support/state", 429, "Too many requests, please try again later.", "text/plain",
            headers: new Dictionary<string, string> { ["Retry-After"] = "3600" });

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(429, exception.StatusCode);
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task FetchSupportStateAsync_400_NoRetryAndValidationException()
    {
        var client = await _api.VisitorClientAsync();
        _api.Given("GET", "/v1/support/state", 400, """{"error":"BAD_REQUEST","message":"Visitor ID is required"}""");

        var exception = await Assert.ThrowsAsync<CossistantValidationException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(400, exception.StatusCode);
        Assert.Equal("BAD_REQUEST", exception.ErrorCode);
        Assert.Single(_api.Requests);
    }

    [Theory]
    [InlineData(401, "Invalid API key")]
    [InlineData(403, "Domain example.org is not whitelisted for this API key")]
    public async Task FetchSupportStateAsync_AuthFailure_NoRetryAndAuthenticationException(int status, string body)
    {
        var client = await _api.VisitorClientAsync();
        _api.Given("GET", "/v1/support/state", status, body, "application/octet-stream");

        var exception = await Assert.ThrowsAsync<CossistantAuthenticationException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(status, exception.StatusCode);
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task CompleteOnboardingStepAsync_ZodError400_NoRetry()
    {
        var client = await _api.VisitorClientAsync();
        _api.Given("PATCH", "/v1/support/onboarding", 400, TestData.ZodErrorBody);

        await Assert.ThrowsAsync<CossistantValidationException>(() => client.CompleteOnboardingStepAsync("workspace", Ct));

        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task FetchSupportStateAsync_500Forever_StopsAfterMaxAttempts()
    {
        var client = await _api.VisitorClientAsync(configure: options => options.Retry.MaxRetryAttempts = 2);
        _api.Given("GET", "/v1/support/state", 500, """{"error":"INTERNAL_SERVER_ERROR","message":"boom"}""");

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(500, exception.StatusCode);
        Assert.Equal("INTERNAL_SERVER_ERROR", exception.ErrorCode);
        Assert.Equal(3, _api.Requests.Count);
        Assert.Equal(SupportStateStatus.Error, client.Status);
        Assert.Same(exception, client.SupportStateSnapshot.Error);
    }

    [Fact]
    public async Task FetchWebsiteAsync_ConnectionRefused_RetriesThenNetworkError()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var client = _api.PublicClient(options =>
        {
            options.ApiUrl = new Uri($"http://127.0.0.1:{port}/v1");
            options.Retry.MaxRetryAttempts = 1;
        });

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchWebsiteAsync(Ct));

        Assert.Equal(CossistantErrorCodes.NetworkError, exception.ErrorCode);
        Assert.Null(exception.StatusCode);
        Assert.Contains(_api.Logs.Entries, entry => entry.Message.Contains("Retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Calls_PreCancelledToken_ThrowOperationCanceledWithoutRequest()
    {
        var visitorId = TestData.NewVisitorId();
        _api.GivenWebsite(visitorId);
        _api.GivenState(TestData.EmptyStateBody);
        _api.Given("PATCH", "/v1/support/onboarding", 200, TestData.EmptyStateBody);
        _api.Given("PATCH", "/v1/support/feature-flags", 200, """{"target":{"type":"contact","id":"c_1"},"flags":[]}""");
        var client = _api.PublicClient(options => options.PrivateApiKey = _api.PrivateKey);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await AssertCanceled(() => client.FetchWebsiteAsync(cancelled.Token));
        await client.SetWebsiteContextAsync(TestData.WebsiteId, visitorId);
        await AssertCanceled(() => client.FetchSupportStateAsync(cancellationToken: cancelled.Token));
        await AssertCanceled(() => client.CompleteOnboardingStepAsync("workspace", cancelled.Token));
        await AssertCanceled(() => client.IdentifyAsync(new IdentifyRequest { Email = "a@example.test" }, cancelled.Token));
        await AssertCanceled(() => client.MutateSupportFeatureFlagsAsync(
            FeatureFlagTarget.Contact("c_1"), FeatureFlagOperation.Add, ["x"], cancelled.Token));

        Assert.Empty(_api.Server.LogEntries);
        Assert.Empty(client.SupportState.Onboarding.Steps);
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
    }

    [Fact]
    public async Task FetchSupportStateAsync_CancelledWhileWaiting_ThrowsPromptly()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState(TestData.EmptyStateBody, delay: TimeSpan.FromSeconds(3));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watch = Stopwatch.StartNew();

        var fetch = client.FetchSupportStateAsync(cancellationToken: cts.Token);
        await Task.Delay(100, Ct);
        await cts.CancelAsync();
        await AssertCanceled(() => fetch);

        // The server answers after 3 s; cancellation must not wait for it (a liveness check with a wide margin, not a timing target).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"Cancellation took {watch.Elapsed}.");
    }

    [Fact]
    public async Task CompleteOnboardingStepAsync_CancelledDuringDelayedResponse_ThrowsPromptlyAndRollsBack()
    {
        var client = await _api.VisitorClientAsync();
        _api.GivenState("""{"featureFlags":[],"onboarding":{"steps":{"welcome":{"completed":true,"metadata":null}}}}""");
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        _api.Given("PATCH", "/v1/support/onboarding", 200, TestData.EmptyStateBody, delay: TimeSpan.FromSeconds(3));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watch = Stopwatch.StartNew();

        var pending = client.CompleteOnboardingStepAsync("workspace", cts.Token);
        Assert.True(client.SupportState.Onboarding.TryGetStep("workspace", out _));
        await Task.Delay(100, Ct);
        await cts.CancelAsync();
        await AssertCanceled(() => pending);

        // The server answers after 3 s; cancellation must not wait for it (a liveness check with a wide margin, not a timing target).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"Cancellation took {watch.Elapsed}.");
        Assert.False(client.SupportState.Onboarding.TryGetStep("workspace", out _));
        Assert.True(client.SupportState.Onboarding.TryGetStep("welcome", out _));
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        Assert.Equal(SupportStateStatus.Success, client.Status); // a cancellation the caller asked for is not an error
        Assert.Null(client.SupportStateSnapshot.Error);
    }

    [Fact]
    public async Task FetchWebsiteAsync_CancelledDuringDelayedResponse_ThrowsPromptly()
    {
        _api.Given("GET", "/v1/websites", 200, TestData.WebsiteBody(TestData.NewVisitorId()), delay: TimeSpan.FromSeconds(3));
        var client = _api.PublicClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(100));
        var watch = Stopwatch.StartNew();

        await AssertCanceled(() => client.FetchWebsiteAsync(cts.Token));

        // The server answers after 3 s; cancellation must not wait for it (a liveness check with a wide margin, not a timing target).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"Cancellation took {watch.Elapsed}.");
        Assert.Null(client.VisitorId);
    }

    private static async Task AssertCanceled(Func<Task> call)
    {
        var exception = await Record.ExceptionAsync(call);
        Assert.NotNull(exception);
        Assert.IsAssignableFrom<OperationCanceledException>(exception);
        Assert.IsNotAssignableFrom<CossistantException>(exception.InnerException);
    }
}
