using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>
/// The emulator answers as the real API does where protocol §9 and the traces record it: visitors of another
/// website, sockets for new visitors, socket refusals, the upgrade rate limit, and byte-for-byte wire shapes read
/// and written by the emulator's own code. Raw <see cref="HttpClient"/> and <see cref="ClientWebSocket"/> throughout.
/// </summary>
public sealed class EmulatorFidelityTests
{
    private const string NeverSeenVisitorId = "01M89BSQ4XFT46H109QXZFWEMJ";
    private const string NoVisitorBody = """{"error":"NOT_FOUND","message":"Visitor not found"}""";
    private const string NoTargetBody = """{"error":"NOT_FOUND","message":"Target not found"}""";

    [Fact]
    public async Task GetWebsites_VisitorIdOfAnotherWebsite_Answers200AndLeavesTheVisitorInItsWebsite()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var other = emulator.CreateWebsite("Other", "other.test");
        var foreign = emulator.CreateVisitor(other.Id);
        var seeded = await SendAsync(
            HttpMethod.Patch, Api(emulator, "/support/feature-flags"), [new("Authorization", "Bearer " + other.PrivateApiKey)], FlagBody(foreign, "add", "other-flag"));
        Assert.Equal(200, seeded.Status);

        var website = await SendAsync(HttpMethod.Get, Api(emulator, "/websites"), VisitorHeaders(emulator, foreign));

        Assert.Equal(200, website.Status);
        Assert.Equal(foreign, JsonNode.Parse(website.Body)!["visitor"]!["id"]!.GetValue<string>());
        var state = await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), VisitorHeaders(emulator, foreign));
        Assert.Equal(404, state.Status);
        Assert.Equal(NoVisitorBody, state.Body);
        var mutation = await SendAsync(HttpMethod.Patch, Api(emulator, "/support/feature-flags"), PrivateHeaders(emulator), FlagBody(foreign, "add", "x"));
        Assert.Equal(404, mutation.Status);
        Assert.Equal(NoTargetBody, mutation.Body);
        var inItsWebsite = await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), PublicHeaders(other, foreign));
        Assert.Equal(200, inItsWebsite.Status);
        Assert.Equal("""{"featureFlags":["other-flag"],"onboarding":{"steps":{}}}""", inItsWebsite.Body);
    }

    [Fact]
    public async Task VisitorSocket_NeverSeenValidVisitorId_HelloArrivesAndTheVisitorNowExists()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var before = await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), VisitorHeaders(emulator, NeverSeenVisitorId));
        Assert.Equal(404, before.Status);

        await using var socket = await RawSocket.ConnectVisitorAsync(emulator, NeverSeenVisitorId);

        var hello = JsonNode.Parse(socket.Frames[0])!["payload"]!;
        Assert.Equal(NeverSeenVisitorId, hello["visitorId"]!.GetValue<string>());
        Assert.Equal(emulator.DefaultWebsite.Id, hello["websiteId"]!.GetValue<string>());
        var after = await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), VisitorHeaders(emulator, NeverSeenVisitorId));
        Assert.Equal(200, after.Status);
        Assert.Equal("""{"featureFlags":[],"onboarding":{"steps":{}}}""", after.Body);
    }

    [Fact]
    public async Task VisitorSocket_VisitorIdOfAnotherWebsite_AcceptedButNotMovedAndGetsNoEventsOfThatWebsite()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var other = emulator.CreateWebsite("Other", "other.test");
        var foreign = emulator.CreateVisitor(other.Id);

        await using var stranger = await RawSocket.ConnectVisitorAsync(emulator, foreign);
        await using var owner = await RawSocket.ConnectAsync(emulator.RealtimeUrl, PublicHeaders(other, foreign));
        await owner.WaitForAsync(frames => frames.Any(frame => FrameType(frame) == "CONNECTION_ESTABLISHED"), "the owner's hello");

        Assert.Equal(emulator.DefaultWebsite.Id, JsonNode.Parse(stranger.Frames[0])!["payload"]!["websiteId"]!.GetValue<string>());
        Assert.Equal(404, (await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), VisitorHeaders(emulator, foreign))).Status);
        Assert.Equal(200, (await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), PublicHeaders(other, foreign))).Status);

        // Two events in a row: once the owner has both, the first one sent has been written to every socket it was for.
        List<KeyValuePair<string, string>> otherPrivate = [new("Authorization", "Bearer " + other.PrivateApiKey)];
        Assert.Equal(200, (await SendAsync(HttpMethod.Patch, Api(emulator, "/support/feature-flags"), otherPrivate, FlagBody(foreign, "add", "one"))).Status);
        Assert.Equal(200, (await SendAsync(HttpMethod.Patch, Api(emulator, "/support/feature-flags"), otherPrivate, FlagBody(foreign, "add", "two"))).Status);
        await owner.WaitForSupportStateUpdatesAsync(2);

        // A pong on the stranger's socket comes after anything already written to it.
        await stranger.SendTextAsync("ping");
        await stranger.WaitForAsync(frames => frames.Contains("pong"), "the pong");
        Assert.Equal(0, stranger.SupportStateUpdates);
    }

    /// <summary>What, public key (null: the website's; empty: none), Origin, visitor id, the frame and the close reason.</summary>
    public static TheoryData<string, string?, string?, string?, string, string> RefusedCredentials() => new()
    {
        { "unknown key", "pk_test_" + new string('0', 64), CossistantEmulator.DefaultOrigin, NeverSeenVisitorId,
            """{"error":"Authentication failed","message":"Invalid API key","code":401}""", "Invalid API key" },
        { "origin not allowlisted", null, "https://evil.test", NeverSeenVisitorId,
            """{"error":"Authentication failed","message":"Domain evil.test is not whitelisted for this API key","code":403}""",
            "Domain evil.test is not whitelisted for this API key" },
        { "origin missing", null, null, NeverSeenVisitorId,
            $$"""{"error":"Authentication failed","message":"{{OriginRequired}}","code":403}""", OriginRequired },
        { "no credentials", "", CossistantEmulator.DefaultOrigin, NeverSeenVisitorId,
            """{"error":"Authentication failed","message":"Authentication failed: Provide a valid API key or be signed in.","code":1008}""",
            "Authentication failed" },
        { "no visitor id", null, CossistantEmulator.DefaultOrigin, null,
            """{"error":"Identification required","message":"Either authenticate with credentials or provide a visitor ID via X-Visitor-Id header or query parameter.","code":1008}""",
            "Identification required" },
    };

    [Theory]
    [MemberData(nameof(RefusedCredentials))]
    public async Task VisitorSocket_RefusedCredentials_101ThenOneErrorFrameWithRealReasonAndCodeThenClose1008WithThatReason(
        string what, string? publicKey, string? origin, string? visitorId, string frame, string closeReason)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        List<KeyValuePair<string, string>> headers = [];
        if (publicKey != string.Empty)
        {
            headers.Add(new("X-Public-Key", publicKey ?? emulator.DefaultWebsite.PublicKey));
        }

        if (origin is not null)
        {
            headers.Add(new("Origin", origin));
        }

        if (visitorId is not null)
        {
            headers.Add(new("X-Visitor-Id", visitorId));
        }

        var refused = await RefusedSocket.ConnectAsync(emulator.RealtimeUrl, headers);

        Assert.Equal(101, refused.HttpStatus);
        Assert.Equal(frame, Assert.Single(refused.Frames));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, refused.CloseStatus);
        Assert.True(closeReason == refused.CloseReason, $"{what}: close reason \"{refused.CloseReason}\"");
        Assert.Equal(0, emulator.OpenSockets);
    }

    [Fact]
    public async Task VisitorSocket_RefusalLongerThan123Bytes_CloseReasonTruncatedFrameKeepsTheWholeMessage()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var host = new string('a', 60) + "." + new string('b', 60) + ".test";
        var message = $"Domain {host} is not whitelisted for this API key";

        var refused = await RefusedSocket.ConnectAsync(
            emulator.RealtimeUrl,
            [new("X-Public-Key", emulator.DefaultWebsite.PublicKey), new("Origin", "https://" + host), new("X-Visitor-Id", NeverSeenVisitorId)]);

        Assert.True(Encoding.UTF8.GetByteCount(message) > 123);
        Assert.Equal(message, JsonNode.Parse(Assert.Single(refused.Frames))!["message"]!.GetValue<string>());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, refused.CloseStatus);
        Assert.Equal(message[..123], refused.CloseReason);
    }

    [Theory]
    [InlineData(7, "7")]
    [InlineData(null, "60")]
    public async Task RefuseNextUpgrades_Upgrade_429TextPlainUtf8WithRetryAfterAndTheApisBody(int? retryAfter, string expectedRetryAfter)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        emulator.Faults.RefuseNextUpgrades(2, retryAfter);

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in VisitorHeaders(emulator, emulator.CreateVisitor()))
        {
            socket.Options.SetRequestHeader(name, value);
        }

        await Assert.ThrowsAnyAsync<WebSocketException>(() => socket.ConnectAsync(emulator.RealtimeUrl, Ct));
        Assert.Equal(HttpStatusCode.TooManyRequests, socket.HttpStatusCode);
        var upgradeRetryAfter = socket.HttpResponseHeaders!.Single(header => header.Key.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.Equal([expectedRetryAfter], upgradeRetryAfter);

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(emulator.BaseUrl, "/ws"), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("text/plain; charset=UTF-8", response.Content.Headers.NonValidated["Content-Type"].ToString());
        Assert.Equal(expectedRetryAfter, response.Headers.NonValidated["Retry-After"].ToString());
        Assert.Equal("Too many WebSocket connection attempts, please try again later.", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal([429, 429], emulator.Requests.Where(request => request.Path == "/ws").Select(request => request.StatusCode));
    }

    [Fact]
    public async Task PatchOnboarding_Trace03Requests_AnsweredWithTheTracesStatusesAndBodiesByteForByte()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        await TraceExchanges.ReplayAsync(emulator, emulator.CreateVisitor(), TraceExchanges.Onboarding);
    }

    [Fact]
    public async Task PatchFeatureFlags_Trace04Requests_AnsweredWithTheTracesStatusesAndBodiesByteForByte()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        await TraceExchanges.ReplayAsync(emulator, emulator.CreateVisitor(), TraceExchanges.FeatureFlags);
    }

    [Fact]
    public async Task GetSupportStateAndEvent_StateOfTrace10_BodyAndFrameTextEqualTheTraces()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var organization = emulator.CreateContactOrganization("Org");
        var contact = emulator.CreateContact("ext-1", contactOrganizationId: organization.Id);
        var visitorId = emulator.CreateVisitor();
        await using var tab = await RawSocket.ConnectVisitorAsync(emulator, visitorId);
        var onboarding = Api(emulator, "/support/onboarding");
        await SendAsync(HttpMethod.Patch, onboarding, VisitorHeaders(emulator, visitorId), """{"stepId":"welcome","completed":true}""");
        await SendAsync(HttpMethod.Patch, onboarding, VisitorHeaders(emulator, visitorId), """{"stepId":"profile","metadata":{"plan":"pro"}}""");
        emulator.LinkVisitor(visitorId, contact.Id);
        await SendAsync(HttpMethod.Patch, onboarding, VisitorHeaders(emulator, visitorId), """{"stepId":"billing","completed":true}""");
        await SendAsync(HttpMethod.Patch, onboarding, VisitorHeaders(emulator, visitorId), """{"stepId":"tour","completed":true}""");
        var flags = Api(emulator, "/support/feature-flags");
        await SendAsync(HttpMethod.Patch, flags, PrivateHeaders(emulator), $$"""{"target":{"type":"contact","id":"{{contact.Id}}"},"operation":"add","flags":["contact-flag"]}""");
        await SendAsync(HttpMethod.Patch, flags, PrivateHeaders(emulator),
            $$"""{"target":{"type":"contactOrganization","id":"{{organization.Id}}"},"operation":"add","flags":["org-flag"]}""");

        var state = await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), VisitorHeaders(emulator, visitorId));

        const string Expected = """{"featureFlags":["contact-flag","org-flag"],"onboarding":{"steps":{"tour":{"completed":true,"metadata":null},"billing":{"completed":true,"metadata":null},"profile":{"completed":false,"metadata":{"plan":"pro"}},"welcome":{"completed":true,"metadata":null}}}}""";
        Assert.Equal(Expected, state.Body);
        await tab.WaitForSupportStateUpdatesAsync(6);
        var website = emulator.DefaultWebsite;
        Assert.Equal(
            $$"""{"type":"supportStateUpdated","payload":{"websiteId":"{{website.Id}}","organizationId":"{{website.OrganizationId}}","visitorId":"{{visitorId}}","userId":null,"state":"""
                + Expected + "}}",
            tab.Frames[^1]);
    }

    [Fact]
    public async Task PatchFeatureFlags_SharedNormalizationMutationAndRejectionVectors_AnswerTheVectorsResults()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        var url = Api(emulator, "/support/feature-flags");

        async Task<string[]> MutateAsync(string operation, JsonElement flags)
        {
            var response = await SendAsync(HttpMethod.Patch, url, PrivateHeaders(emulator), MutationBody(visitorId, operation, flags));
            Assert.True(response.Status == 200, $"{operation} {flags.GetRawText()}: {response.Status} {response.Body}");
            return JsonNode.Parse(response.Body)!["flags"]!.AsArray().Select(flag => flag!.GetValue<string>()).ToArray();
        }

        static string[] Names(JsonElement array) => array.EnumerateArray().Select(flag => flag.GetString()!).ToArray();

        // A mutation rejects empty and comma names, so only the vectors without such names can go through "set".
        foreach (var vector in Vectors("flagNormalization").EnumerateArray()
            .Where(vector => !Names(vector.GetProperty("input")).Any(name => name.Contains(',', StringComparison.Ordinal) || string.IsNullOrWhiteSpace(name))))
        {
            Assert.Equal(Names(vector.GetProperty("expected")), await MutateAsync("set", vector.GetProperty("input")));
        }

        foreach (var vector in Vectors("flagMutation").EnumerateArray())
        {
            await MutateAsync("set", vector.GetProperty("current"));
            Assert.Equal(Names(vector.GetProperty("expected")), await MutateAsync(vector.GetProperty("operation").GetString()!, vector.GetProperty("flags")));
        }

        foreach (var vector in Vectors("flagMutationRejected").EnumerateArray())
        {
            var response = await SendAsync(HttpMethod.Patch, url, PrivateHeaders(emulator), MutationBody(visitorId, "set", vector.GetProperty("flags")));
            var issue = Assert.Single(AssertZodError(response));
            Assert.Equal(vector.GetProperty("message").GetString(), issue!["message"]!.GetValue<string>());
        }
    }

    private static string FlagBody(string visitorId, string operation, string flag) =>
        $$"""{"target":{"type":"visitor","id":"{{visitorId}}"},"operation":"{{operation}}","flags":["{{flag}}"]}""";

    private static string MutationBody(string visitorId, string operation, JsonElement flags) =>
        $$"""{"target":{"type":"visitor","id":"{{visitorId}}"},"operation":"{{operation}}","flags":{{flags.GetRawText()}}}""";

    private static List<KeyValuePair<string, string>> PublicHeaders(EmulatedWebsite website, string visitorId) =>
        [new("X-Public-Key", website.PublicKey), new("Origin", CossistantEmulator.DefaultOrigin), new("X-Visitor-Id", visitorId)];
}
