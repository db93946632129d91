using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.Testing;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Cossistant.Client.IntegrationTests.Reliability.ReliabilityKit;

namespace Cossistant.Client.IntegrationTests.Reliability;

/// <summary>
/// Bad input from the server (issue 7 §3): garbage realtime frames are logged and skipped (or, where the
/// normalization rules of protocol §6 define a reading, normalized) and the connection survives; broken REST
/// answers become typed exceptions and the client keeps working.
/// </summary>
public sealed class BadServerInputTests
{
    private const int FrameLimit = 32 * 1024;

    /// <summary>What a bad frame must lead to.</summary>
    public enum Outcome
    {
        /// <summary>Logged at Warning or above and skipped: the state does not change.</summary>
        Skipped,

        /// <summary>Ignored by design (unknown event types, other visitors' events): the state does not change.</summary>
        Ignored,

        /// <summary>Read with the normalization rules: the state becomes the expected one.</summary>
        Applied,
    }

    [Fact(Timeout = 60_000)]
    public async Task RealtimeGarbageFrames_EachSkippedOrNormalized_ConnectionSurvivesAndNextEventApplies()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator, loggerFactory);
        options.Realtime.MaxFrameBytes = FrameLimit;
        await using var client = new CossistantClient(options);
        await client.FetchWebsiteAsync(Ct);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        await client.ConnectRealtimeAsync(Ct);
        await Until.StateAsync(client, snapshot => snapshot.IsSettled, "the catch-up fetch settled the state"); // before any pushed frame
        var visitorId = client.VisitorId!;
        var connectionId = client.RealtimeConnectionState.ConnectionId;
        var upgrades = emulator.Requests.Count(r => r.Path == "/ws");
        var changes = new ConcurrentQueue<SupportState>();
        client.SupportStateChanged += (_, change) =>
        {
            if (!change.Current.State.Equals(change.Previous.State))
            {
                changes.Enqueue(change.Current.State);
            }
        };

        var rows = Frames(emulator.DefaultWebsite, visitorId);
        var tried = 0;
        foreach (var (name, frame, outcome, expectedJson) in rows)
        {
            tried++;
            changes.Clear();
            var warningsBefore = logs.AtLeast(LogLevel.Warning).Count;
            Assert.Equal(1, await emulator.Faults.PushRawAsync(visitorId, frame));

            // A valid event right behind it still applies (frames are handled in order).
            var marker = $"marker-{tried}";
            Assert.Equal(1, await emulator.Faults.PushRawAsync(visitorId, Event(emulator.DefaultWebsite, visitorId, $$"""{"featureFlags":["{{marker}}"]}""")));
            await EventuallyAsync(() => client.IsFeatureFlagEnabled(marker), $"the event after \"{name}\" to apply");

            var newWarnings = logs.AtLeast(LogLevel.Warning).Skip(warningsBefore).ToArray();
            Out($"{name} ({Encoding.UTF8.GetByteCount(frame)} bytes): {outcome}; log: {string.Join(" / ", newWarnings.Select(w => $"{w.Level} {w.Message}"))}");
            var seen = changes.ToArray();
            switch (outcome)
            {
                case Outcome.Skipped:
                    Assert.True(newWarnings.Length > 0, $"\"{name}\" was skipped without a warning");
                    Assert.All(newWarnings, w => Assert.Equal(LogLevel.Warning, w.Level)); // a skip, not a crash of ours
                    Assert.Single(seen); // only the marker changed the state
                    break;
                case Outcome.Ignored:
                    Assert.Single(seen);
                    break;
                case Outcome.Applied:
                    Assert.Equal(2, seen.Length);
                    Assert.Equal(SupportState.Parse(expectedJson!), seen[0]);
                    break;
            }

            Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
            Assert.Equal(connectionId, client.RealtimeConnectionState.ConnectionId);
        }

        Assert.Equal(upgrades, emulator.Requests.Count(r => r.Path == "/ws")); // never reconnected
        Assert.Empty(logs.AtLeast(LogLevel.Error));
        Out($"bad realtime frames tried: {tried}");
    }

    [Fact]
    public void FrameLimit_DefaultIsOneMebibyte()
    {
        Assert.Equal(1024 * 1024, new CossistantRealtimeOptions().MaxFrameBytes);
        Assert.Contains(
            "Realtime.MaxFrameBytes must be at least 1024.",
            new CossistantClientOptions { PublicKey = "pk_test_" + new string('a', 64), Origin = "https://a.example", Realtime = { MaxFrameBytes = 10 } }.Validate());
    }

    [Fact(Timeout = 60_000)]
    public async Task RealtimeBinaryFrames_InvalidUtf8AndOversized_SkippedWithWarning_ValidBinaryApplies()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        await using var server = await RawFrameServer.StartAsync();
        await using var client = await RawClientAsync(server, loggerFactory);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        await client.ConnectRealtimeAsync(Ct);
        await Until.StateAsync(client, snapshot => snapshot.IsSettled, "the catch-up fetch settled the state"); // before any pushed frame

        var invalidInString = Encoding.UTF8.GetBytes(RawFrameServer.Event("""{"featureFlags":["##"]}"""));
        var at = Array.IndexOf(invalidInString, (byte)'#');
        invalidInString[at] = 0xC3;
        invalidInString[at + 1] = 0x28; // C3 28: a lead byte without its continuation
        var rows = new (string Name, byte[] Bytes, Outcome Outcome, string? Expected)[]
        {
            ("binary: not UTF-8 at all", [0xFF, 0xFE, 0xFD, 0x00, 0x80], Outcome.Skipped, null),
            ("binary: JSON with an invalid UTF-8 sequence in a string", invalidInString, Outcome.Skipped, null),
            ("binary: a surrogate encoded as UTF-8 (ED A0 80) in a flag name", Encoding.UTF8.GetBytes(RawFrameServer.Event("""{"featureFlags":["#"]}""")).SelectMany(b => b == (byte)'#' ? new byte[] { 0xED, 0xA0, 0x80 } : [b]).ToArray(), Outcome.Skipped, null),
            ("binary: oversized", Encoding.UTF8.GetBytes(RawFrameServer.Event($$"""{"featureFlags":["{{new string('b', FrameLimit)}}"]}""")), Outcome.Skipped, null),
            ("binary: a valid event", Encoding.UTF8.GetBytes(RawFrameServer.Event("""{"featureFlags":["from-binary"]}""")), Outcome.Applied, """{"featureFlags":["from-binary"]}"""),
        };

        var tried = 0;
        foreach (var (name, bytes, outcome, expected) in rows)
        {
            tried++;
            var warningsBefore = logs.AtLeast(LogLevel.Warning).Count;
            Assert.Equal(1, await server.SendAsync(bytes, WebSocketMessageType.Binary));
            if (expected is not null)
            {
                await EventuallyAsync(() => client.SupportState.Equals(SupportState.Parse(expected)), $"\"{name}\" to apply");
            }

            var marker = $"marker-{tried}";
            Assert.Equal(1, await server.SendTextAsync(RawFrameServer.Event($$"""{"featureFlags":["{{marker}}"]}""")));
            await EventuallyAsync(() => client.IsFeatureFlagEnabled(marker), $"the event after \"{name}\" to apply");
            var newWarnings = logs.AtLeast(LogLevel.Warning).Skip(warningsBefore).ToArray();
            Out($"{name} ({bytes.Length} bytes): {outcome}; log: {string.Join(" / ", newWarnings.Select(w => $"{w.Level} {w.Message}"))}");
            if (outcome == Outcome.Skipped)
            {
                Assert.NotEmpty(newWarnings);
                Assert.All(newWarnings, w => Assert.Equal(LogLevel.Warning, w.Level)); // a skip, not a crash of ours
            }

            Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
            Assert.Equal(1, server.Connections);
        }

        Out($"bad binary frames tried: {tried}");
    }

    [Fact(Timeout = 30_000)]
    public async Task RealtimeBinaryFrameWithInvalidUtf8InType_SkippedAsMalformedFrameAtWarning()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        await using var server = await RawFrameServer.StartAsync();
        await using var client = await RawClientAsync(server, loggerFactory);
        await client.ConnectRealtimeAsync(Ct);
        await Until.StateAsync(client, snapshot => snapshot.IsSettled, "the catch-up fetch settled the state"); // before any pushed frame

        // Invalid UTF-8 (C3 28: a lead byte without its continuation) in the frame's "type" string.
        var frame = "{\"type\":\"typing#\",\"payload\":{}}"u8.ToArray()
            .SelectMany(b => b == (byte)'#' ? new byte[] { 0xC3, 0x28 } : [b]).ToArray();
        Assert.Equal(1, await server.SendAsync(frame, WebSocketMessageType.Binary));
        Assert.Equal(1, await server.SendTextAsync(RawFrameServer.Event("""{"featureFlags":["after"]}""")));
        await EventuallyAsync(() => client.IsFeatureFlagEnabled("after"), "the next event");

        // A malformed frame is a Warning "Skipped a malformed realtime frame" (event 23), not a crash of the handler.
        Assert.Contains(logs.Entries, e => e.EventId.Id == 23 && e.Level == LogLevel.Warning);
        Assert.Empty(logs.AtLeast(LogLevel.Error));
    }

    [Fact(Timeout = 60_000)]
    public async Task RealtimeTextFrameWithInvalidUtf8_ConnectionIsReestablishedAndCaughtUp()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        await using var server = await RawFrameServer.StartAsync();
        await using var client = await RawClientAsync(server, loggerFactory);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        await client.ConnectRealtimeAsync(Ct);
        await Until.StateAsync(client, snapshot => snapshot.IsSettled, "the catch-up fetch settled the state"); // before any pushed frame

        // A WebSocket text frame must be UTF-8 (RFC 6455 §8.1): the socket layer fails the connection (1007). The
        // client must treat it as a lost connection: reconnect with backoff, then catch up with a fetch.
        server.StateJson = """{"featureFlags":["caught-up"],"onboarding":{"steps":{}}}""";
        Assert.Equal(1, await server.SendAsync([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D], WebSocketMessageType.Text)); // {"\xFF\xFE"}

        await EventuallyAsync(() => server.Connections == 2 && client.RealtimeConnectionState.Status == RealtimeConnectionStatus.Connected, "the reconnect");
        await EventuallyAsync(() => client.IsFeatureFlagEnabled("caught-up"), "the catch-up fetch");
        Assert.Equal(1, await server.SendTextAsync(RawFrameServer.Event("""{"featureFlags":["after"]}""")));
        await EventuallyAsync(() => client.IsFeatureFlagEnabled("after"), "the next event");
        Assert.False(client.RealtimeConnectionState.IsPermanentFailure);
        Out("text frame with invalid UTF-8: " + string.Join(" / ", logs.AtLeast(LogLevel.Warning).Select(w => $"{w.Level} {w.Message}")));
    }

    [Fact]
    public async Task Rest_Html502Page_TypedExceptionWithTitle_ThenClientStillWorks()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.Retry.MaxRetryAttempts = 0;
        await using var client = new CossistantClient(options);
        await client.FetchWebsiteAsync(Ct);
        emulator.Faults.FailNextRequests(
            1, 502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "text/html");

        var error = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(force: true, Ct));

        Assert.Equal(502, error.StatusCode);
        Assert.Contains("502 Bad Gateway", error.ServerMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("<html>", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nginx</body>", error.Message, StringComparison.Ordinal);
        Assert.Equal(SupportStateStatus.Error, client.Status);

        var state = await client.FetchSupportStateAsync(force: true, Ct);
        Assert.Equal(emulator.GetSupportState(client.VisitorId!), state);
        Assert.Equal(SupportStateStatus.Success, client.Status);
    }

    [Fact]
    public async Task Rest_HugeTextErrorBody_MessageIsBounded()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.Retry.MaxRetryAttempts = 0;
        await using var client = new CossistantClient(options);
        await client.FetchWebsiteAsync(Ct);
        emulator.Faults.FailNextRequests(1, 500, string.Concat(Enumerable.Repeat("upstream exploded\n", 20_000)));

        var error = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(force: true, Ct));

        Assert.Equal(500, error.StatusCode);
        Assert.InRange(error.ServerMessage!.Length, 1, 301);
        Assert.InRange(error.Message.Length, 1, 600);
    }

    [Theory]
    [InlineData("""{"featureFlags":["beta"],"onboarding":{"st""")]
    [InlineData("""{"featureFlags":[""")]
    [InlineData("{")]
    [InlineData("<html><body>OK</body></html>")]
    [InlineData("[]")]
    public async Task Rest_Truncated200Json_OnFetch_TypedException_ThenClientStillWorks(string body)
    {
        using var api = new FakeApi();
        var client = await api.VisitorClientAsync(configure: options => options.Retry.MaxRetryAttempts = 0);
        api.Server.Given(Request.Create().WithPath("/v1/support/state").UsingGet())
            .InScenario("truncated").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
        api.Server.Given(Request.Create().WithPath("/v1/support/state").UsingGet())
            .InScenario("truncated").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}"""));

        var error = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(CossistantErrorCodes.InvalidResponse, error.ErrorCode);
        Assert.Equal(200, error.StatusCode);
        Assert.Equal(SupportStateStatus.Error, client.Status);
        Assert.False(client.IsFeatureFlagEnabled("beta"));

        await client.FetchSupportStateAsync(force: true, Ct);
        Assert.True(client.IsFeatureFlagEnabled("beta"));
        Assert.Equal(SupportStateStatus.Success, client.Status);
    }

    [Fact]
    public async Task Rest_Truncated200Json_OnOnboardingUpdate_RolledBackAndThrown()
    {
        using var api = new FakeApi();
        var client = await api.VisitorClientAsync(configure: options => options.Retry.MaxRetryAttempts = 0);
        api.GivenState("""{"featureFlags":["beta"],"onboarding":{"steps":{}}}""");
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        api.Given("PATCH", "/v1/support/onboarding", 200, """{"featureFlags":["beta"],"onboarding":{"steps":{"project":{"comp""");

        var error = await Assert.ThrowsAsync<CossistantApiException>(() => client.CompleteOnboardingStepAsync("project", Ct));

        Assert.Equal(CossistantErrorCodes.InvalidResponse, error.ErrorCode);
        Assert.False(client.SupportState.Onboarding.TryGetStep("project", out _)); // rolled back
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        Assert.True(client.IsFeatureFlagEnabled("beta")); // only the update went
    }

    /// <summary>The bad frames, each with what it must lead to (and the normalized state for applied ones).</summary>
    private static (string Name, string Frame, Outcome Outcome, string? Expected)[] Frames(EmulatedWebsite website, string visitorId)
    {
        string Ev(string state) => Event(website, visitorId, state);
        string Payload(string payload) => $$"""{"type":"supportStateUpdated","payload":{{payload}}}""";
        var routing = "\"websiteId\":\"" + website.Id + "\",\"organizationId\":\"" + website.OrganizationId + "\",\"visitorId\":\"" + visitorId + "\",\"userId\":null";
        var deepArrays = new string('[', 10_000) + new string(']', 10_000);
        var deepObjects = string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000);
        var atLimit = Ev($$"""{"featureFlags":["{{new string('p', 10)}}"]}""");
        atLimit = Ev($$"""{"featureFlags":["{{new string('p', 10 + FrameLimit - Encoding.UTF8.GetByteCount(atLimit))}}"]}""");
        Assert.Equal(FrameLimit, Encoding.UTF8.GetByteCount(atLimit));
        var atLimitState = atLimit[(atLimit.IndexOf("\"state\":", StringComparison.Ordinal) + 8)..^2];
        return
        [
            ("non-JSON text", "this is not json", Outcome.Skipped, null),
            ("truncated JSON", Ev("""{"featureFlags":["x"]}""")[..60], Outcome.Skipped, null),
            ("empty frame", string.Empty, Outcome.Skipped, null),
            ("whitespace frame", " \n\t ", Outcome.Skipped, null),
            ("NUL characters", "\0\0\0", Outcome.Skipped, null),
            ("a JSON array", "[1,2,3]", Outcome.Skipped, null),
            ("a JSON string", "\"supportStateUpdated\"", Outcome.Skipped, null),
            ("JSON null", "null", Outcome.Skipped, null),
            ("a JSON number", "42", Outcome.Skipped, null),
            ("featureFlags is a string", Ev("""{"featureFlags":"x","onboarding":{"steps":{}}}"""), Outcome.Skipped, null),
            ("featureFlags is an object", Ev("""{"featureFlags":{"a":true},"onboarding":{"steps":{}}}"""), Outcome.Skipped, null),
            ("steps is an array", Ev("""{"featureFlags":["steps-array"],"onboarding":{"steps":[{"completed":true}]}}"""), Outcome.Applied,
                """{"featureFlags":["steps-array"],"onboarding":{"steps":{}}}"""),
            ("completed is a string", Ev("""{"featureFlags":[],"onboarding":{"steps":{"project":{"completed":"yes","metadata":null}}}}"""), Outcome.Applied,
                """{"featureFlags":[],"onboarding":{"steps":{"project":{"completed":true,"metadata":null}}}}"""),
            ("metadata is an array", Ev("""{"featureFlags":[],"onboarding":{"steps":{"project":{"completed":false,"metadata":["x"]}}}}"""), Outcome.Applied,
                """{"featureFlags":[],"onboarding":{"steps":{"project":{"completed":false,"metadata":null}}}}"""),
            ("a step is a number", Ev("""{"featureFlags":["n"],"onboarding":{"steps":{"project":5}}}"""), Outcome.Applied,
                """{"featureFlags":["n"],"onboarding":{"steps":{}}}"""),
            ("onboarding is null", Ev("""{"featureFlags":["o"],"onboarding":null}"""), Outcome.Applied, """{"featureFlags":["o"]}"""),
            ("unnormalized flags", Ev("""{"featureFlags":[" z ","a,b","","z","a"]}"""), Outcome.Applied, """{"featureFlags":["a","z"]}"""),
            ("type is a number", """{"type":5,"payload":{}}""", Outcome.Skipped, null),
            ("no type and no error", """{"payload":{}}""", Outcome.Skipped, null),
            ("payload missing", """{"type":"supportStateUpdated"}""", Outcome.Skipped, null),
            ("payload null", Payload("null"), Outcome.Skipped, null),
            ("payload a string", Payload("\"x\""), Outcome.Skipped, null),
            ("state missing", Payload("{" + routing + "}"), Outcome.Skipped, null),
            ("state null", Payload("{" + routing + ",\"state\":null}"), Outcome.Skipped, null),
            ("state an array", Payload("{" + routing + ",\"state\":[]}"), Outcome.Skipped, null),
            ("websiteId missing", Payload("{\"visitorId\":\"" + visitorId + "\",\"state\":{\"featureFlags\":[\"no-site\"]}}"), Outcome.Ignored, null),
            ("another website's event", Payload("{\"websiteId\":\"01M89BBY28DNGS7RTEYF8WAPAT\",\"visitorId\":\"" + visitorId + "\",\"state\":{\"featureFlags\":[\"other\"]}}"), Outcome.Ignored, null),
            ("another visitor's event", Payload("{\"websiteId\":\"" + website.Id + "\",\"visitorId\":\"01M89BS86B272X41E3XTDC4PR3\",\"state\":{\"featureFlags\":[\"other\"]}}"), Outcome.Ignored, null),
            ("an unknown event type", "{\"type\":\"conversationCreated\",\"payload\":{" + routing + ",\"conversation\":{\"id\":\"c1\"}}}", Outcome.Ignored, null),
            ("an unknown event type without payload", """{"type":"userTyping"}""", Outcome.Ignored, null),
            ("a server error frame", """{"error":"Invalid message format","details":"JSON Parse error: Unexpected identifier"}""", Outcome.Skipped, null),
            ("10,000 nested arrays", deepArrays, Outcome.Skipped, null),
            ("10,000 nested arrays in an unknown event's payload", """{"type":"typing","payload":""" + deepArrays + "}", Outcome.Skipped, null),
            ("10,000 nested arrays in step metadata", Ev("""{"featureFlags":[],"onboarding":{"steps":{"project":{"completed":true,"metadata":{"a":""" + deepArrays + "}}}}}"), Outcome.Skipped, null),
            ("5,000 nested objects", deepObjects, Outcome.Skipped, null),
            ($"oversized ({FrameLimit + 1} bytes)", atLimit.Replace("\"featureFlags\":[\"p", "\"featureFlags\":[\"pp", StringComparison.Ordinal), Outcome.Skipped, null),
            ($"exactly at the limit ({FrameLimit} bytes)", atLimit, Outcome.Applied, atLimitState),
        ];
    }

    private static string Event(EmulatedWebsite website, string visitorId, string stateJson) =>
        $$"""{"type":"supportStateUpdated","payload":{"websiteId":"{{website.Id}}","organizationId":"{{website.OrganizationId}}","visitorId":"{{visitorId}}","userId":null,"state":""" + stateJson + "}}";

    private static async Task<CossistantClient> RawClientAsync(RawFrameServer server, ILoggerFactory logs)
    {
        var client = new CossistantClient(new CossistantClientOptions
        {
            ApiUrl = server.ApiUrl,
            RealtimeUrl = server.RealtimeUrl,
            PublicKey = TestData.NewPublicKey(),
            Origin = TestData.Origin,
            LoggerFactory = logs,
            Retry = { MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(5) },
            Realtime =
            {
                MaxFrameBytes = FrameLimit,
                ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            },
        });
        await client.SetWebsiteContextAsync(RawFrameServer.WebsiteId, RawFrameServer.VisitorId);
        return client;
    }
}
