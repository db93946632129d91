using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>
/// Each auth failure of protocol §1 and §8 and trace 04, through the SDK where it can send the request and with raw
/// <see cref="HttpClient"/>/<see cref="ClientWebSocket"/> where the SDK refuses to (its options validation).
/// </summary>
public sealed class EmulatorAuthTests
{
    [Fact]
    public async Task GetWebsites_NoKey_Returns401ApiKeyRequiredAsBareText()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        var response = await SendAsync(HttpMethod.Get, Api(emulator, "/websites"), [new("Origin", CossistantEmulator.DefaultOrigin)]);

        Assert.Equal(401, response.Status);
        Assert.Equal("API key is required", response.Body);
        Assert.NotEqual("application/json", response.ContentType);
    }

    [Fact]
    public async Task FetchWebsiteAsync_UnknownPublicKeyOfRightFormat_ThrowsAuthenticationException401InvalidApiKey()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.PublicKey = TestData.NewPublicKey();
        await using var client = new CossistantClient(options);

        var error = await Assert.ThrowsAsync<CossistantAuthenticationException>(() => client.FetchWebsiteAsync(Ct));

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("Invalid API key", error.ServerMessage);
        Assert.Single(emulator.Requests); // 401 is not retried
    }

    [Theory]
    [InlineData("pk_test_123")]
    [InlineData("pk_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-key")]
    public async Task GetWebsites_MalformedPublicKey_Returns401InvalidPublicApiKeyFormat(string key)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        var response = await SendAsync(
            HttpMethod.Get, Api(emulator, "/websites"), [new("X-Public-Key", key), new("Origin", CossistantEmulator.DefaultOrigin)]);

        Assert.Equal(401, response.Status);
        Assert.Equal("Invalid public API key format", response.Body);
    }

    [Fact]
    public async Task GetWebsites_PublicKeyWithoutOrigin_Returns403OriginRequired()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        var response = await SendAsync(HttpMethod.Get, Api(emulator, "/websites"), [new("X-Public-Key", emulator.DefaultWebsite.PublicKey)]);

        Assert.Equal(403, response.Status);
        Assert.Equal(OriginRequired, response.Body);
        Assert.NotEqual("application/json", response.ContentType);
    }

    [Fact]
    public async Task GetWebsites_PublicKeyWithNullOrigin_Returns403()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        var response = await SendAsync(
            HttpMethod.Get, Api(emulator, "/websites"), [new("X-Public-Key", emulator.DefaultWebsite.PublicKey), new("Origin", "null")]);

        Assert.Equal(403, response.Status); // protocol §1: Origin missing/null/not allowlisted → 403 (the exact text is not traced)
    }

    [Fact]
    public async Task GetWebsites_PublicKeyWithRefererButNoOrigin_Returns403()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        var response = await SendAsync(
            HttpMethod.Get, Api(emulator, "/websites"),
            [new("X-Public-Key", emulator.DefaultWebsite.PublicKey), new("Referer", "http://localhost:3000/page")]);

        Assert.Equal(403, response.Status);
        Assert.Equal(OriginRequired, response.Body);
    }

    [Theory]
    [InlineData("https://evil.test", "evil.test")]
    [InlineData("https://example.com.evil.test", "example.com.evil.test")]
    [InlineData("https://notexample.com", "notexample.com")]
    public async Task FetchWebsiteAsync_OriginNotAllowlisted_ThrowsAuthenticationException403DomainNotWhitelisted(string origin, string host)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = new CossistantClient(VisitorOptions(emulator, origin));

        var error = await Assert.ThrowsAsync<CossistantAuthenticationException>(() => client.FetchWebsiteAsync(Ct));

        Assert.Equal(403, error.StatusCode);
        Assert.Equal($"Domain {host} is not whitelisted for this API key", error.ServerMessage);
    }

    [Theory]
    [InlineData("https://example.com")]
    [InlineData("https://app.example.com")]
    [InlineData("https://deep.app.example.com")]
    [InlineData("https://app.example.com:8443")]
    [InlineData("http://localhost:5173")]
    public async Task FetchWebsiteAsync_AllowlistedDomainSubdomainOrPort_Succeeds(string origin)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = new CossistantClient(VisitorOptions(emulator, origin));

        var website = await client.FetchWebsiteAsync(Ct);
        var state = await client.FetchSupportStateAsync(cancellationToken: Ct);

        Assert.Equal(emulator.DefaultWebsite.Id, website.Id);
        Assert.Equal(SupportState.Empty, state);
        Assert.Equal(origin, emulator.Requests[^1].Header("Origin"));
    }

    [Fact]
    public async Task FetchWebsiteAsync_WildcardAllowlistEntry_MatchesSubdomainAndBareDomain()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var site = emulator.CreateWebsite("Wild", "wild.test", ["*.wild.test"]);
        foreach (var origin in new[] { "https://app.wild.test", "https://wild.test:444" })
        {
            var options = emulator.CreateClientOptions(site);
            options.Origin = origin;
            await using var client = new CossistantClient(options);
            Assert.Equal(site.Id, (await client.FetchWebsiteAsync(Ct)).Id);
        }
    }

    [Fact]
    public async Task PatchFeatureFlags_PrivateKeyWithoutSchemeWord_Returns401ApiKeyRequired()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        var response = await SendAsync(
            HttpMethod.Patch, Api(emulator, "/support/feature-flags"), [new("Authorization", emulator.DefaultWebsite.PrivateApiKey)],
            FlagBody(visitorId, "x"));

        Assert.Equal(401, response.Status);
        Assert.Equal("API key is required", response.Body);
        Assert.Empty(emulator.GetOwnFeatureFlags(FeatureFlagTarget.Visitor(visitorId)));
    }

    [Fact]
    public async Task PatchFeatureFlags_PrivateKeyWithTokenSchemeWord_Succeeds()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        var response = await SendAsync(
            HttpMethod.Patch, Api(emulator, "/support/feature-flags"), [new("Authorization", "Token " + emulator.DefaultWebsite.PrivateApiKey)],
            FlagBody(visitorId, "scheme-check"));

        Assert.Equal(200, response.Status);
        AssertJsonEqual($$"""{"target":{"type":"visitor","id":"{{visitorId}}"},"flags":["scheme-check"]}""", response.Body);
        Assert.Equal(["scheme-check"], emulator.GetOwnFeatureFlags(FeatureFlagTarget.Visitor(visitorId)));
    }

    [Fact]
    public async Task FetchWebsiteAsync_BadPrivateKeyWithValidPublicKey_ThrowsAuthenticationException401()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.PrivateApiKey = TestData.NewPrivateKey(); // right format, unknown
        await using var client = new CossistantClient(options);

        var error = await Assert.ThrowsAsync<CossistantAuthenticationException>(() => client.FetchWebsiteAsync(Ct));

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("Invalid API key", error.ServerMessage);
        var sent = Assert.Single(emulator.Requests);
        Assert.Equal(emulator.DefaultWebsite.PublicKey, sent.Header("X-Public-Key")); // the public key alone would have passed
    }

    [Fact]
    public async Task GetSupportState_PrivateKeyWithoutOrigin_Succeeds()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        var headers = PrivateHeaders(emulator);
        headers.Add(new("X-Visitor-Id", visitorId));

        var response = await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), headers);

        Assert.Equal(200, response.Status);
        AssertJsonEqual("""{"featureFlags":[],"onboarding":{"steps":{}}}""", response.Body);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PatchFeatureFlags_PublicKeyOnly_Returns401ApiKeyRequired(bool withVisitorId)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        var response = await SendAsync(
            HttpMethod.Patch, Api(emulator, "/support/feature-flags"), VisitorHeaders(emulator, withVisitorId ? visitorId : null),
            FlagBody(visitorId, "x"));

        Assert.Equal(401, response.Status);
        Assert.Equal("API key is required", response.Body);
        Assert.Empty(emulator.GetOwnFeatureFlags(FeatureFlagTarget.Visitor(visitorId)));
    }

    [Fact]
    public async Task RealtimeUpgrade_UnknownPublicKey_UpgradesThenSendsOneAuthErrorFrameAndCloses1008()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        await using var socket = await RawSocket.ConnectAsync(
            emulator.RealtimeUrl,
            [new("X-Public-Key", TestData.NewPublicKey()), new("X-Visitor-Id", visitorId), new("Origin", CossistantEmulator.DefaultOrigin)]);

        Assert.Equal(101, socket.HttpStatus);
        await WaitUntilAsync(() => socket.Closed, "the server closed the socket");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus); // 1008
        var frame = Assert.Single(socket.Frames);
        var error = JsonNode.Parse(frame)!.AsObject();
        Assert.Equal("Authentication failed", error["error"]!.GetValue<string>());
        Assert.Equal("Invalid API key", error["message"]!.GetValue<string>());
        Assert.Equal(401, error["code"]!.GetValue<int>());
        Assert.Equal(0, emulator.OpenSockets);
    }

    [Fact]
    public async Task RealtimeUpgrade_OriginNotAllowlisted_UpgradesThenSendsErrorFrameAndCloses1008()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        await using var socket = await RawSocket.ConnectAsync(
            emulator.RealtimeUrl,
            [new("X-Public-Key", emulator.DefaultWebsite.PublicKey), new("X-Visitor-Id", visitorId), new("Origin", "https://evil.test")]);

        await WaitUntilAsync(() => socket.Closed, "the server closed the socket");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        var error = JsonNode.Parse(Assert.Single(socket.Frames))!.AsObject();
        Assert.Equal("Authentication failed", error["error"]!.GetValue<string>());
        Assert.Equal("Domain evil.test is not whitelisted for this API key", error["message"]!.GetValue<string>());
        Assert.Equal(403, error["code"]!.GetValue<int>()); // protocol §9: an Origin refusal is 403, not 401
    }

    [Fact]
    public async Task ConnectRealtimeAsync_UnknownPublicKey_ThrowsRealtimeExceptionAndStopsForGood()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.PublicKey = TestData.NewPublicKey();
        await using var client = new CossistantClient(options);
        await client.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, emulator.CreateVisitor());

        var error = await Assert.ThrowsAsync<CossistantRealtimeException>(() => client.ConnectRealtimeAsync(Ct));

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("Invalid API key", error.ServerMessage);
        var state = client.RealtimeConnectionState;
        Assert.Equal(RealtimeConnectionStatus.Disconnected, state.Status);
        Assert.True(state.IsPermanentFailure);
        Assert.Same(error, state.LastError);
        Assert.Single(emulator.Requests, request => request.Path == "/ws");
        Assert.Equal(101, emulator.Requests.Single(request => request.Path == "/ws").StatusCode);
    }

    private static string FlagBody(string visitorId, string flag) =>
        $$"""{"target":{"type":"visitor","id":"{{visitorId}}"},"operation":"add","flags":["{{flag}}"]}""";
}
