using System.Text.Json;
using Cossistant.Client.IntegrationTests.Infrastructure;

namespace Cossistant.Client.IntegrationTests.Http;

/// <summary>The exact requests the client sends: method, path, headers and bodies.</summary>
public sealed class RequestShapeTests : IDisposable
{
    private readonly FakeApi _api = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task FetchWebsiteAsync_FirstCall_SendsPublicKeyAndOriginWithoutVisitorId()
    {
        var visitorId = _api.GivenWebsite(TestData.TraceVisitorId);
        var client = _api.PublicClient();

        var website = await client.FetchWebsiteAsync(Ct);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/websites", request.AbsolutePath);
        Assert.Equal(_api.PublicKey, FakeApi.Header(request, "X-Public-Key"));
        Assert.Equal(TestData.Origin, FakeApi.Header(request, "Origin"));
        Assert.Null(FakeApi.Header(request, "X-Visitor-Id"));
        Assert.Null(FakeApi.Header(request, "Authorization"));
        Assert.Equal(TestData.WebsiteId, website.Id);
        Assert.Equal(visitorId, client.VisitorId);
        Assert.Equal(TestData.WebsiteId, client.WebsiteId);
        Assert.False(client.IsVisitorBlocked);
    }

    [Fact]
    public async Task FetchWebsiteAsync_SecondCall_ResendsReturnedVisitorId()
    {
        var visitorId = _api.GivenWebsite(TestData.NewVisitorId());
        var client = _api.PublicClient();

        await client.FetchWebsiteAsync(Ct);
        await client.FetchWebsiteAsync(Ct);

        var requests = _api.RequestsTo("GET", "/v1/websites");
        Assert.Equal(2, requests.Count);
        Assert.Null(FakeApi.Header(requests[0], "X-Visitor-Id"));
        Assert.Equal(visitorId, FakeApi.Header(requests[1], "X-Visitor-Id"));
    }

    [Fact]
    public async Task FetchWebsiteAsync_PreloadedStoreId_SendsIt()
    {
        var stored = TestData.NewVisitorId();
        _api.GivenWebsite(stored);
        var client = _api.CreateClient(_api.PublicOptions(new InMemoryVisitorIdStore(stored)));

        await client.FetchWebsiteAsync(Ct);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(stored, FakeApi.Header(request, "X-Visitor-Id"));
    }

    [Theory]
    [InlineData("not-a-ulid")]
    [InlineData("01m89bs72zmxq64jp8k5n8ppsf")] // lower-cased ULID: the API is case-sensitive
    [InlineData("")]
    [InlineData(" 01M89BS72ZMXQ64JP8K5N8PPSF ")]
    [InlineData("01M89BS72ZMXQ64JP8K5N8PPS")] // 25 characters
    [InlineData("81M89BS72ZMXQ64JP8K5N8PPSF")] // first character above 7: overflows 128 bits
    [InlineData("01M89BS72ZMXQ64JP8K5N8PPSU")] // U is not Crockford base32
    public async Task FetchWebsiteAsync_InvalidStoredId_IsNotSent(string stored)
    {
        var returned = _api.GivenWebsite(TestData.NewVisitorId());
        var store = new InMemoryVisitorIdStore(stored);
        var client = _api.CreateClient(_api.PublicOptions(store));

        await client.FetchWebsiteAsync(Ct);

        var request = Assert.Single(_api.Requests);
        Assert.Null(FakeApi.Header(request, "X-Visitor-Id"));
        Assert.Equal(returned, client.VisitorId);
        Assert.Equal(returned, await store.GetVisitorIdAsync(Ct));
    }

    [Fact]
    public async Task FetchWebsiteAsync_FileVisitorIdStore_PersistsIdAcrossClients()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cossistant-it-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "nested", "visitor-id");
        try
        {
            var visitorId = _api.GivenWebsite(TestData.NewVisitorId());
            var first = _api.CreateClient(_api.PublicOptions(new FileVisitorIdStore(path)));
            await first.FetchWebsiteAsync(Ct);
            first.Dispose();

            Assert.Equal(visitorId, (await File.ReadAllTextAsync(path, Ct)).Trim());

            var second = _api.CreateClient(_api.PublicOptions(new FileVisitorIdStore(path)));
            await second.FetchWebsiteAsync(Ct);

            var requests = _api.RequestsTo("GET", "/v1/websites");
            Assert.Equal(2, requests.Count);
            Assert.Null(FakeApi.Header(requests[0], "X-Visitor-Id"));
            Assert.Equal(visitorId, FakeApi.Header(requests[1], "X-Visitor-Id"));
            Assert.Equal(visitorId, second.VisitorId);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task FetchSupportStateAsync_PublicKey_SendsVisitorIdWithKeyAndOrigin()
    {
        var client = await _api.VisitorClientAsync(TestData.TraceVisitorId);
        _api.GivenState(TestData.EmptyStateBody);

        await client.FetchSupportStateAsync(cancellationToken: Ct);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/support/state", request.AbsolutePath);
        Assert.Equal(TestData.TraceVisitorId, FakeApi.Header(request, "X-Visitor-Id"));
        Assert.Equal(_api.PublicKey, FakeApi.Header(request, "X-Public-Key"));
        Assert.Equal(TestData.Origin, FakeApi.Header(request, "Origin"));
        Assert.True(string.IsNullOrEmpty(request.RawQuery), request.RawQuery);
    }

    [Fact]
    public async Task FetchSupportStateAsync_PrivateKey_SendsBearerOnlyInAuthorizationHeader()
    {
        var visitorId = TestData.NewVisitorId();
        _api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}""");
        var client = _api.PrivateClient();
        await client.SetWebsiteContextAsync(TestData.WebsiteId, visitorId);

        var state = await client.FetchSupportStateAsync(cancellationToken: Ct);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("/v1/support/state", request.AbsolutePath);
        Assert.Equal("Bearer " + _api.PrivateKey, FakeApi.Header(request, "Authorization"));
        Assert.Equal(visitorId, FakeApi.Header(request, "X-Visitor-Id"));
        Assert.Null(FakeApi.Header(request, "X-Public-Key"));
        Assert.Null(FakeApi.Header(request, "Origin"));
        Assert.DoesNotContain(_api.PrivateKey, request.Url, StringComparison.Ordinal);
        Assert.True(string.IsNullOrEmpty(request.RawQuery), request.RawQuery);
        foreach (var (name, values) in request.Headers!)
        {
            if (!string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                Assert.DoesNotContain(values, value => value.Contains(_api.PrivateKey, StringComparison.Ordinal));
            }
        }

        Assert.Equal(["beta"], state.FeatureFlags);
    }

    public static TheoryData<string, string> OnboardingCalls => new()
    {
        { "complete", """{"stepId":"workspace","completed":true}""" },
        { "uncomplete", """{"stepId":"workspace","completed":false}""" },
        { "metadata-typed", """{"stepId":"workspace","metadata":{"workspaceName":"Acme"}}""" },
        { "metadata-typed-null", """{"stepId":"workspace","metadata":null}""" },
        { "metadata-json", """{"stepId":"workspace","metadata":{"workspaceName":"Acme"}}""" },
        { "metadata-json-null", """{"stepId":"workspace","metadata":null}""" },
        { "complete-by-id", """{"stepId":"workspace","completed":true}""" },
        { "reset", """{"reset":true}""" },
    };

    [Theory]
    [MemberData(nameof(OnboardingCalls))]
    public async Task OnboardingCalls_SendExactPatchBody(string call, string expectedBody)
    {
        var visitorId = TestData.NewVisitorId();
        var client = await _api.VisitorClientAsync(visitorId, options => options.Support = TestSupport.Config);
        _api.Given("PATCH", "/v1/support/onboarding", 200, """{"featureFlags":[],"onboarding":{"steps":{}}}""");

        var task = call switch
        {
            "complete" => client.CompleteOnboardingStepAsync(TestSupport.Workspace, Ct),
            "uncomplete" => client.UncompleteOnboardingStepAsync(TestSupport.Workspace, Ct),
            "metadata-typed" => client.SetOnboardingMetadataAsync(TestSupport.Workspace, new WorkspaceMetadata("Acme"), Ct),
            "metadata-typed-null" => client.SetOnboardingMetadataAsync(TestSupport.Workspace, null, Ct),
            "metadata-json" => client.SetOnboardingMetadataAsync("workspace", JsonSerializer.SerializeToElement(new WorkspaceMetadata("Acme"), TestJsonContext.Default.WorkspaceMetadata), Ct),
            "metadata-json-null" => client.SetOnboardingMetadataAsync("workspace", null, Ct),
            "complete-by-id" => client.CompleteOnboardingStepAsync("workspace", Ct),
            "reset" => client.ResetOnboardingAsync(Ct),
            _ => throw new ArgumentOutOfRangeException(nameof(call)),
        };
        await task;

        var request = Assert.Single(_api.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/v1/support/onboarding", request.AbsolutePath);
        Assert.Equal(expectedBody, request.Body);
        Assert.Equal("application/json", FakeApi.Header(request, "Content-Type"));
        Assert.Equal(visitorId, FakeApi.Header(request, "X-Visitor-Id"));
        Assert.Equal(_api.PublicKey, FakeApi.Header(request, "X-Public-Key"));
        Assert.Equal(TestData.Origin, FakeApi.Header(request, "Origin"));
    }

    [Fact]
    public async Task MutateSupportFeatureFlagsAsync_PrivateKey_SendsExactBodyWithoutVisitorId()
    {
        _api.Given("PATCH", "/v1/support/feature-flags", 200, """{"target":{"type":"contact","id":"c_1"},"flags":["new-message"]}""");
        var client = _api.PrivateClient();

        var result = await client.MutateSupportFeatureFlagsAsync(
            FeatureFlagTarget.Contact("c_1"), FeatureFlagOperation.Add, [TestSupport.NewMessage], Ct);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/v1/support/feature-flags", request.AbsolutePath);
        Assert.Equal("""{"target":{"type":"contact","id":"c_1"},"operation":"add","flags":["new-message"]}""", request.Body);
        Assert.Equal("application/json", FakeApi.Header(request, "Content-Type"));
        Assert.Equal("Bearer " + _api.PrivateKey, FakeApi.Header(request, "Authorization"));
        Assert.Null(FakeApi.Header(request, "X-Visitor-Id"));
        Assert.Null(FakeApi.Header(request, "X-Public-Key"));
        Assert.True(string.IsNullOrEmpty(request.RawQuery), request.RawQuery);
        Assert.Equal(["new-message"], result.Flags);
        Assert.Equal(FeatureFlagTargetType.Contact, result.Target.Type);
    }

    [Theory]
    [InlineData(FeatureFlagTargetType.Visitor, FeatureFlagOperation.Remove, "visitor", "remove")]
    [InlineData(FeatureFlagTargetType.ContactOrganization, FeatureFlagOperation.Set, "contactOrganization", "set")]
    public async Task MutateSupportFeatureFlagsAsync_OtherTargetsAndOperations_UseWireNames(
        FeatureFlagTargetType type, FeatureFlagOperation operation, string wireType, string wireOperation)
    {
        _api.Given("PATCH", "/v1/support/feature-flags", 200, "{\"target\":{\"type\":\"" + wireType + "\",\"id\":\"t_1\"},\"flags\":[]}");
        var client = _api.PrivateClient();

        await client.MutateSupportFeatureFlagsAsync(new FeatureFlagTarget(type, "t_1"), operation, Array.Empty<string>(), Ct);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(
            "{\"target\":{\"type\":\"" + wireType + "\",\"id\":\"t_1\"},\"operation\":\"" + wireOperation + "\",\"flags\":[]}",
            request.Body);
    }

    [Fact]
    public async Task IdentifyAsync_PostsVisitorAndEmail_ThenForcesStateFetch()
    {
        var visitorId = TestData.NewVisitorId();
        var client = await _api.VisitorClientAsync(visitorId);
        _api.GivenState(TestData.EmptyStateBody);
        await client.FetchSupportStateAsync(cancellationToken: Ct); // cached: identify must still refetch
        _api.Server.ResetLogEntries();
        _api.Given("POST", "/v1/contacts/identify", 200,
            "{\"contact\":{\"id\":\"01M89BSJ6BRD47R3ZJQXJT4EVZ\",\"externalId\":null,\"name\":\"Alice\",\"email\":\"alice@example.test\",\"image\":null,\"metadata\":null,\"contactOrganizationId\":null},\"visitorId\":\"" + visitorId + "\"}");
        _api.GivenState("""{"featureFlags":["contact-flag"],"onboarding":{"steps":{"welcome":{"completed":true,"metadata":null}}}}""");

        var result = await client.IdentifyAsync(new IdentifyRequest { Email = "alice@example.test", Name = "Alice" }, Ct);

        var requests = _api.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal("POST", requests[0].Method);
        Assert.Equal("/v1/contacts/identify", requests[0].AbsolutePath);
        Assert.Equal(visitorId, FakeApi.Header(requests[0], "X-Visitor-Id"));
        Assert.Equal("application/json", FakeApi.Header(requests[0], "Content-Type"));
        using (var body = JsonDocument.Parse(requests[0].Body!))
        {
            Assert.Equal(visitorId, body.RootElement.GetProperty("visitorId").GetString());
            Assert.Equal("alice@example.test", body.RootElement.GetProperty("email").GetString());
            Assert.Equal("Alice", body.RootElement.GetProperty("name").GetString());
            Assert.False(body.RootElement.TryGetProperty("externalId", out _));
        }

        Assert.Equal("GET", requests[1].Method);
        Assert.Equal("/v1/support/state", requests[1].AbsolutePath);
        Assert.Equal(visitorId, FakeApi.Header(requests[1], "X-Visitor-Id"));
        Assert.Equal("01M89BSJ6BRD47R3ZJQXJT4EVZ", result.Contact?.Id);
        Assert.True(client.IsFeatureFlagEnabled("contact-flag"));
    }
}
