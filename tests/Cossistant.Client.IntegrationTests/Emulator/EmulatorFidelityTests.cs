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

        // Two events in a row: once the owner has the second, the first has been written to every socket it was for.
        List<KeyValuePair<string, string>> otherPrivate = [new("Authorization", "Bearer " + other.PrivateApiKey)];
        Assert.Equal(200, (await SendAsync(HttpMethod.Patch, Api(emulator, "/support/feature-flags"), otherPrivate, FlagBody(foreign, "add", "one"))).Status);
        Assert.Equal(200, (await SendAsync(HttpMethod.Patch, Api(emulator, "/support/feature-flags"), otherPrivate, FlagBody(foreign, "add", "two"))).Status);
        await owner.WaitForSupportStateUpdatesAsync(2);

        // A pong on the stranger's socket comes after anything already written to it.
        await stranger.SendTextAsync("ping");
        await stranger.WaitForAsync(frames => frames.Contains("pong"), "the pong");
        Assert.Equal(0, stranger.SupportStateUpdates);
    }

    private static string FlagBody(string visitorId, string operation, string flag) =>
        $$"""{"target":{"type":"visitor","id":"{{visitorId}}"},"operation":"{{operation}}","flags":["{{flag}}"]}""";

    private static List<KeyValuePair<string, string>> PublicHeaders(EmulatedWebsite website, string visitorId) =>
        [new("X-Public-Key", website.PublicKey), new("Origin", CossistantEmulator.DefaultOrigin), new("X-Visitor-Id", visitorId)];
}
