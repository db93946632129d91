using Cossistant.Client.IntegrationTests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Cossistant.Client.IntegrationTests.Http;

/// <summary>Keys never reach logs, exception messages or URLs, even when the server echoes them.</summary>
public sealed class SecretTests : IDisposable
{
    private readonly FakeApi _api = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task EveryPath_KeysNeverInLogsExceptionsOrUrls()
    {
        var pk = _api.PublicKey;
        var sk = _api.PrivateKey;
        var visitorId = TestData.NewVisitorId();
        var options = _api.PublicOptions();
        options.PrivateApiKey = sk;
        options.Retry.MaxRetryAttempts = 2;
        options.Support = TestSupport.Config;
        var client = _api.CreateClient(options);
        var exceptions = new List<Exception>();

        async Task Capture(Func<Task> call)
        {
            var exception = await Record.ExceptionAsync(call);
            Assert.NotNull(exception);
            exceptions.Add(exception);
        }

        // Success.
        _api.GivenWebsite(visitorId);
        await client.FetchWebsiteAsync(Ct);

        // A retried 503 whose body echoes both keys, then success.
        _api.Server.Given(Request.Create().WithPath("/v1/support/state").UsingGet())
            .InScenario("s").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Content-Type", "text/plain").WithBody($"overloaded for {pk} and {sk}"));
        _api.Server.Given(Request.Create().WithPath("/v1/support/state").UsingGet())
            .InScenario("s").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}"""));
        await client.FetchSupportStateAsync(cancellationToken: Ct);

        // 401 with a bare-text body that echoes the key.
        _api.Server.ResetMappings();
        _api.Given("GET", "/v1/support/state", 401, "bad key " + sk, "application/octet-stream");
        await Capture(() => client.FetchSupportStateAsync(force: true, Ct));
        _api.Server.ResetMappings();
        _api.Given("GET", "/v1/support/state", 401, "bad key " + pk, "application/octet-stream");
        await Capture(() => client.FetchSupportStateAsync(force: true, Ct));

        _api.Server.ResetMappings();
        // 403 text echoing the public key.
        _api.Given("POST", "/v1/contacts/identify", 403, $"Domain example.org is not whitelisted for this API key {pk}", "application/octet-stream");
        await Capture(() => client.IdentifyAsync(new IdentifyRequest { Email = "a@example.test" }, Ct));

        _api.Server.ResetMappings();
        // ZodError 400 whose issues echo the key (onboarding, rolled back and logged with the exception).
        _api.Given("PATCH", "/v1/support/onboarding", 400,
            "{\"success\":false,\"error\":{\"name\":\"ZodError\",\"message\":\"[{\\\"code\\\":\\\"custom\\\",\\\"path\\\":[],\\\"message\\\":\\\"key " + sk + "\\\"}]\"}}");
        await Capture(() => client.CompleteOnboardingStepAsync(TestSupport.Workspace, Ct));

        _api.Server.ResetMappings();
        // JSON {error,message,details} echoing the keys everywhere, on the flag mutation.
        _api.Given("PATCH", "/v1/support/feature-flags", 404,
            "{\"error\":\"NOT_FOUND " + sk + "\",\"message\":\"Target not found for " + pk + "\",\"details\":{\"key\":\"" + sk + "\"}}");
        await Capture(() => client.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Contact("c_1"), FeatureFlagOperation.Add, ["x"], Ct));

        _api.Server.ResetMappings();
        // {code,message} echoing a key.
        _api.Given("PATCH", "/v1/support/onboarding", 409, $$"""{"code":"{{pk}}","message":"{{sk}}"}""");
        await Capture(() => client.ResetOnboardingAsync(Ct));

        _api.Server.ResetMappings();
        // 500 forever, retried, echoing the key.
        _api.Given("GET", "/v1/support/state", 500, $$"""{"error":"INTERNAL","message":"{{sk}}"}""");
        await Capture(() => client.FetchSupportStateAsync(force: true, Ct));

        _api.Server.ResetMappings();
        // 429 with Retry-After: 0, retried, then failing.
        _api.Given("GET", "/v1/websites", 429, "Too many requests " + pk, "text/plain", headers: new Dictionary<string, string> { ["Retry-After"] = "0" });
        await Capture(() => client.FetchWebsiteAsync(Ct));

        _api.Server.ResetMappings();
        // A 200 the SDK cannot read, with the key inside.
        _api.Given("PATCH", "/v1/support/onboarding", 200, "{\"featureFlags\":[\"" + sk + "\"");
        await Capture(() => client.UncompleteOnboardingStepAsync("workspace", Ct));
        _api.Server.ResetMappings();
        _api.Given("PATCH", "/v1/support/onboarding", 200, "{\"featureFlags\":\"" + sk + "\"}");
        await Capture(() => client.UncompleteOnboardingStepAsync("workspace", Ct));
        _api.Server.ResetMappings();
        _api.Given("PATCH", "/v1/support/onboarding", 200, sk);
        await Capture(() => client.UncompleteOnboardingStepAsync("workspace", Ct));

        // No server at all.
        var offline = _api.CreateClient(new CossistantClientOptions
        {
            ApiUrl = new Uri("http://127.0.0.1:9/v1"),
            PublicKey = pk,
            PrivateApiKey = sk,
            Origin = TestData.Origin,
            LoggerFactory = _api.LoggerFactory,
            Retry = FakeApi.FastRetry(1),
        });
        await Capture(() => offline.FetchWebsiteAsync(Ct));

        Assert.Equal(12, exceptions.Count);
        Assert.Contains(exceptions, exception => exception is CossistantAuthenticationException);
        Assert.Contains(exceptions, exception => exception is CossistantValidationException);
        Assert.Contains(exceptions, exception => exception is CossistantApiException { ErrorCode: CossistantErrorCodes.InvalidResponse });
        Assert.Contains(exceptions, exception => exception is CossistantApiException { ErrorCode: CossistantErrorCodes.NetworkError });
        Assert.NotEmpty(_api.Logs.Entries);
        Assert.Contains(_api.Logs.Entries, entry => entry.Message.Contains("Retrying", StringComparison.Ordinal));
        Assert.Contains(_api.Logs.Entries, entry => entry.Exception is not null);
        Assert.True(_api.Requests.Count >= 15, $"Only {_api.Requests.Count} requests.");
        Assert.Contains("[redacted]", exceptions[0].Message, StringComparison.Ordinal); // the echo was scrubbed, not dropped

        foreach (var key in new[] { pk, sk })
        {
            foreach (var line in _api.Logs.Lines)
            {
                Assert.DoesNotContain(key, line, StringComparison.Ordinal);
            }

            foreach (var exception in exceptions)
            {
                Assert.DoesNotContain(key, exception.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(key, exception.ToString(), StringComparison.Ordinal);
                if (exception is CossistantException cossistant)
                {
                    Assert.DoesNotContain(key, cossistant.ServerMessage ?? string.Empty, StringComparison.Ordinal);
                    Assert.DoesNotContain(key, cossistant.ErrorCode ?? string.Empty, StringComparison.Ordinal);
                    Assert.DoesNotContain(key, cossistant.Details ?? string.Empty, StringComparison.Ordinal);
                }
            }

            foreach (var request in _api.Requests)
            {
                Assert.DoesNotContain(key, request.Url, StringComparison.Ordinal);
                Assert.DoesNotContain(key, request.AbsoluteUrl, StringComparison.Ordinal);
                Assert.DoesNotContain(key, request.RawQuery ?? string.Empty, StringComparison.Ordinal);
                Assert.DoesNotContain(key, request.Body ?? string.Empty, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(key, options.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(key, client.SupportStateSnapshot.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(key, client.SupportStateSnapshot.Error?.ToString() ?? string.Empty, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OptionsToString_WithBothKeys_ShowsNeither()
    {
        var options = new CossistantClientOptions { PublicKey = _api.PublicKey, PrivateApiKey = _api.PrivateKey, Origin = TestData.Origin };

        var text = options.ToString();

        Assert.DoesNotContain(_api.PublicKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.PrivateKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.PublicKey[8..], text, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.PrivateKey[8..], text, StringComparison.Ordinal);
        Assert.Contains("pk_test_[redacted]", text, StringComparison.Ordinal);
        Assert.Contains("sk_test_[redacted]", text, StringComparison.Ordinal);
        Assert.Contains(TestData.Origin, text, StringComparison.Ordinal);
    }
}
