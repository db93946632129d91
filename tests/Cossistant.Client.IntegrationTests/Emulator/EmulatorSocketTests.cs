using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>The emulator's realtime socket frame by frame (protocol §8, traces 06 and 10), with raw sockets.</summary>
public sealed class EmulatorSocketTests
{
    [Fact]
    public async Task VisitorSocket_Connect_FirstFrameIsConnectionEstablishedWithRouting()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        await using var socket = await RawSocket.ConnectVisitorAsync(emulator, visitorId);

        var hello = JsonNode.Parse(socket.Frames[0])!.AsObject();
        Assert.Equal("CONNECTION_ESTABLISHED", hello["type"]!.GetValue<string>());
        var payload = hello["payload"]!.AsObject();
        Assert.StartsWith("conn_", payload["connectionId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(visitorId, payload["visitorId"]!.GetValue<string>());
        Assert.Equal(emulator.DefaultWebsite.Id, payload["websiteId"]!.GetValue<string>());
        Assert.Equal(emulator.DefaultWebsite.OrganizationId, payload["organizationId"]!.GetValue<string>());
        Assert.True(payload["timestamp"]!.GetValue<long>() > 1_700_000_000_000);
        Assert.Equal(1, emulator.OpenSocketsFor(visitorId));
    }

    [Fact]
    public async Task VisitorSocket_PingAndInvalidClientFrames_PongAndErrorFramesButNeverAClose()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var socket = await RawSocket.ConnectVisitorAsync(emulator, emulator.CreateVisitor());

        await socket.SendTextAsync("ping");
        await socket.SendTextAsync("presence:ping");
        await socket.SendTextAsync("hello");
        await socket.SendTextAsync("""{"type":"noSuchEvent","payload":{}}""");
        await socket.WaitForAsync(frames => frames.Count >= 5, "four answers after the hello");

        Assert.Equal(["pong", "pong"], socket.Frames.Skip(1).Take(2));
        var badFormat = JsonNode.Parse(socket.Frames[3])!.AsObject();
        Assert.Equal("Invalid message format", badFormat["error"]!.GetValue<string>());
        Assert.NotNull(badFormat["details"]);
        Assert.Null(badFormat["message"]); // trace 06: this error frame has no "message" key
        AssertJsonEqual("""{"error":"Invalid event type","message":"Invalid event type: noSuchEvent"}""", socket.Frames[4]);
        Assert.False(socket.Closed);

        await socket.SendTextAsync("ping");
        await socket.WaitForAsync(frames => frames.Count >= 6, "a pong after the errors");
        Assert.Equal("pong", socket.Frames[5]);
    }

    [Fact]
    public async Task VisitorSocket_KnownEventTypeWithBadPayload_InvalidMessageFormatWithDetails()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var socket = await RawSocket.ConnectVisitorAsync(emulator, emulator.CreateVisitor());

        await socket.SendTextAsync("""{"type":"supportStateUpdated","payload":{}}""");
        await socket.WaitForAsync(frames => frames.Count >= 2, "the answer");

        var error = JsonNode.Parse(socket.Frames[1])!.AsObject();
        Assert.Equal("Invalid message format", error["error"]!.GetValue<string>());
        Assert.NotNull(error["details"]);
        Assert.Null(error["message"]);
    }

    [Fact]
    public async Task FlagMutation_VisitorWithTwoTabs_EveryTabGetsFullStateFrameWithRouting()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        var visitorId = emulator.CreateVisitor();
        await using var tab1 = await RawSocket.ConnectVisitorAsync(emulator, visitorId);
        await using var tab2 = await RawSocket.ConnectVisitorAsync(emulator, visitorId);

        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["beta", "new-message"], Ct);

        await tab1.WaitForSupportStateUpdatesAsync(1);
        await tab2.WaitForSupportStateUpdatesAsync(1);
        var expected = "{\"type\":\"supportStateUpdated\",\"payload\":{\"websiteId\":\"" + emulator.DefaultWebsite.Id
            + "\",\"organizationId\":\"" + emulator.DefaultWebsite.OrganizationId + "\",\"visitorId\":\"" + visitorId
            + "\",\"userId\":null,\"state\":{\"featureFlags\":[\"beta\",\"new-message\"],\"onboarding\":{\"steps\":{}}}}}";
        AssertJsonEqual(expected, tab1.Frames[^1]);
        AssertJsonEqual(expected, tab2.Frames[^1]);
    }

    [Fact]
    public async Task IdentifyAsync_ConnectedVisitor_ReceivesVisitorIdentifiedThenSupportStateUpdated()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = await NewVisitorAsync(emulator);
        await client.CompleteOnboardingStepAsync("welcome", Ct);
        await using var tab = await RawSocket.ConnectVisitorAsync(emulator, client.VisitorId!);

        var identified = await client.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-1" }, Ct);

        await tab.WaitForSupportStateUpdatesAsync(1);
        var types = tab.Frames.Skip(1).Select(FrameType).ToList();
        Assert.Equal(["visitorIdentified", "supportStateUpdated"], types);
        var state = JsonNode.Parse(tab.Frames[^1])!["payload"]!["state"]!.ToJsonString();
        Assert.Equal(emulator.GetSupportState(client.VisitorId!), SupportState.Parse(state));
        Assert.Contains(identified.Contact.Id, tab.Frames[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateKeySocket_WithoutVisitorId_ConnectsButGetsNoVisitorEvents()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        var visitorId = emulator.CreateVisitor();
        await using var serverSocket = await RawSocket.ConnectAsync(emulator.RealtimeUrl, PrivateHeaders(emulator));
        await serverSocket.WaitForAsync(frames => frames.Any(frame => FrameType(frame) == "CONNECTION_ESTABLISHED"), "the hello");
        await using var visitorTab = await RawSocket.ConnectVisitorAsync(emulator, visitorId);

        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["x"], Ct);

        await visitorTab.WaitForSupportStateUpdatesAsync(1); // positive control
        await QuietWindowAsync();
        Assert.Equal(0, serverSocket.SupportStateUpdates);
        Assert.Null(JsonNode.Parse(serverSocket.Frames[0])!["payload"]!["visitorId"]?.GetValue<string>());
    }

    [Fact]
    public async Task PublicKeySocket_WithoutVisitorId_ErrorFrameThenClose1008()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        await using var socket = await RawSocket.ConnectAsync(
            emulator.RealtimeUrl, [new("X-Public-Key", emulator.DefaultWebsite.PublicKey), new("Origin", CossistantEmulator.DefaultOrigin)]);

        await WaitUntilAsync(() => socket.Closed, "the server closed the socket");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        var error = JsonNode.Parse(Assert.Single(socket.Frames))!.AsObject();
        Assert.Equal("Identification required", error["error"]!.GetValue<string>());
        Assert.Equal(1008, error["code"]!.GetValue<int>());
        Assert.Equal(0, emulator.OpenSockets);
    }
}
