using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Cossistant.Client.IntegrationTests.RealtimeServer;
using static Cossistant.Client.IntegrationTests.Realtime.RealtimeTestKit;

namespace Cossistant.Client.IntegrationTests.Realtime;

/// <summary>Pushed <c>supportStateUpdated</c> events: applied, filtered by website and visitor, and bad frames skipped.</summary>
public sealed class RealtimeEventTests
{
    [Fact(Timeout = TestTimeoutMs)]
    public async Task SupportStateUpdated_ForOurVisitor_FlipsFlagAndRaisesChangeWithFlagsAdded()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);
        var changes = new ConcurrentQueue<SupportStateChangedEventArgs>();
        client.SupportStateChanged += (_, change) => changes.Enqueue(change);
        Assert.False(client.IsFeatureFlagEnabled("new-message"));

        await server.BroadcastAsync(Event(Flags("beta", "new-message")));

        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("new-message"), "the event applies");
        Assert.True(client.IsFeatureFlagEnabled("beta"));
        await RealtimeTestServer.WaitUntilAsync(() => changes.Any(change => change.FlagsChanged), "the change event");
        var flagChange = Assert.Single(changes, change => change.FlagsChanged);
        Assert.Equal(["beta", "new-message"], flagChange.FlagsAdded);
        Assert.Empty(flagChange.FlagsRemoved);
        Assert.Equal(SupportStateStatus.Success, client.Status);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task SupportStateUpdated_ForOtherVisitorOrWebsite_IsIgnored()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);
        var added = RecordAddedFlags(client);

        await server.BroadcastAsync(Event(Flags("other-visitor"), visitorId: OtherVisitorId));
        await server.BroadcastAsync(Event(Flags("other-website"), websiteId: OtherWebsiteId));
        await server.BroadcastAsync(Event(Flags("other-both"), visitorId: OtherVisitorId, websiteId: OtherWebsiteId));
        // Frames of one socket are handled in order: once this one applied, the ones before it were handled.
        await server.BroadcastAsync(Event(Flags("ours")));

        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("ours"), "our event applies");
        Assert.Equal(["ours"], added);
        Assert.False(client.IsFeatureFlagEnabled("other-visitor"));
        Assert.False(client.IsFeatureFlagEnabled("other-website"));
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task SupportStateUpdated_NullVisitorForOurWebsite_Applies()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);

        await server.BroadcastAsync(Event(Flags("website-wide"), visitorId: null));

        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("website-wide"), "the event applies");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task SupportStateUpdated_NullVisitorForOtherWebsite_IsIgnored()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);
        var added = RecordAddedFlags(client);

        await server.BroadcastAsync(Event(Flags("other-website"), visitorId: null, websiteId: OtherWebsiteId));
        await server.BroadcastAsync(Event(Flags("ours")));

        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("ours"), "our event applies");
        Assert.Equal(["ours"], added);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task MalformedFrames_AreSkipped_ConnectionStaysAndNextEventApplies()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);
        var connectionId = client.RealtimeConnectionState.ConnectionId;
        var changes = RecordConnectionChanges(client);
        var added = RecordAddedFlags(client);

        await server.BroadcastAsync("{");
        await server.BroadcastAsync("hello");
        await server.BroadcastAsync("""{"type":"supportStateUpdated"}""");
        await server.BroadcastAsync("""{"type":"supportStateUpdated","payload":{"websiteId":"x","state":{"featureFlags":"not-an-array"}}}""");
        await server.BroadcastAsync("[1,2,3]");
        await server.BroadcastAsync("""{"type":"noSuchEvent","payload":{}}""");
        await server.BroadcastAsync([0xFF, 0xFE, 0x00, 0x01, 0x7B], WebSocketMessageType.Binary);
        await server.BroadcastAsync(Event(Flags("after-garbage")));

        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("after-garbage"), "the valid event applies");
        Assert.Equal(["after-garbage"], added);
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
        Assert.Equal(connectionId, client.RealtimeConnectionState.ConnectionId);
        Assert.Empty(changes);
        Assert.Equal(1, server.UpgradeAttempts);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task SupportStateUpdated_InBinaryFrame_Applies()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);

        await server.BroadcastAsync(Encoding.UTF8.GetBytes(Event(Flags("binary"))), WebSocketMessageType.Binary);

        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("binary"), "the binary event applies");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task OversizedFrame_IsSkipped_FollowingSmallEventApplies()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        var options = PublicOptions(server);
        options.Realtime.MaxFrameBytes = 2048;
        await using var client = new CossistantClient(options);
        await ConnectAsync(client, server);
        var added = RecordAddedFlags(client);
        var big = Event(Flags([.. Enumerable.Range(0, 500).Select(i => $"padding-flag-{i:D4}"), "big-flag"]));
        Assert.True(Encoding.UTF8.GetByteCount(big) > 10_000);

        await server.BroadcastAsync(big);
        await server.BroadcastAsync(Event(Flags("small-flag")));

        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("small-flag"), "the small event applies");
        Assert.Equal(["small-flag"], added);
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
        Assert.Equal(1, server.UpgradeAttempts);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task FrameJustUnderLimit_Applies()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        var options = PublicOptions(server);
        options.Realtime.MaxFrameBytes = 2048;
        await using var client = new CossistantClient(options);
        await ConnectAsync(client, server);
        var frame = Event(Flags([.. Enumerable.Range(0, 50).Select(i => $"f{i:D3}"), "near-limit"]));
        Assert.InRange(Encoding.UTF8.GetByteCount(frame), 500, 2048);

        await server.BroadcastAsync(frame);

        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("near-limit"), "the event under the limit applies");
    }
}
