using Cossistant.Client.IntegrationTests.RealtimeServer;
using static Cossistant.Client.IntegrationTests.Realtime.RealtimeTestKit;

namespace Cossistant.Client.IntegrationTests.Realtime;

/// <summary>The upgrade request's credentials (headers only) and the hello (protocol.md §8).</summary>
public sealed class RealtimeHandshakeTests
{
    [Fact(Timeout = TestTimeoutMs)]
    public async Task ConnectRealtimeAsync_PublicKey_SendsKeyVisitorAndOriginHeadersAndNoKeyInUrl()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));

        await ConnectAsync(client, server);

        var headers = Assert.Single(server.UpgradeRequests);
        Assert.Equal(PublicKey, headers["X-Public-Key"].ToString());
        Assert.Equal(RealtimeTestServer.VisitorId, headers["X-Visitor-Id"].ToString());
        Assert.Equal(Origin, headers["Origin"].ToString());
        Assert.False(headers.ContainsKey("Authorization"));
        Assert.False(headers.ContainsKey("X-Actor-User-Id"));
        var target = Assert.Single(server.UpgradeTargets);
        Assert.Equal("/ws", target);
        Assert.DoesNotContain("pk_", target, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ConnectRealtimeAsync_InABrowser_CredentialsInTheQueryAndNoCredentialHeaders()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        var options = PublicOptions(server);
        options.Realtime.CredentialsInQuery = true; // what a browser (Blazor WebAssembly) does: it can set no socket header
        await using var client = new CossistantClient(options);

        await ConnectAsync(client, server);

        var target = Assert.Single(server.UpgradeTargets);
        Assert.Equal($"/ws?publicKey={PublicKey}&visitorId={RealtimeTestServer.VisitorId}", target);
        var headers = Assert.Single(server.UpgradeRequests);
        Assert.False(headers.ContainsKey("X-Public-Key"));
        Assert.False(headers.ContainsKey("X-Visitor-Id"));
        Assert.False(headers.ContainsKey("Authorization"));
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ConnectRealtimeAsync_PrivateKeyWithActor_SendsBearerActorAndVisitorHeadersAndNoKeyInUrl()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(new CossistantClientOptions
        {
            ApiUrl = server.ApiUrl,
            RealtimeUrl = server.RealtimeUrl,
            PrivateApiKey = PrivateKey,
            ActorUserId = "01M89BBY28FS88P6QDYGP133W9",
        });
        await client.SetWebsiteContextAsync(RealtimeTestServer.WebsiteId, RealtimeTestServer.VisitorId);

        await client.ConnectRealtimeAsync(Ct).Within();

        var headers = Assert.Single(server.UpgradeRequests);
        Assert.Equal("Bearer " + PrivateKey, headers["Authorization"].ToString());
        Assert.Equal("01M89BBY28FS88P6QDYGP133W9", headers["X-Actor-User-Id"].ToString());
        Assert.Equal(RealtimeTestServer.VisitorId, headers["X-Visitor-Id"].ToString());
        Assert.False(headers.ContainsKey("X-Public-Key"));
        var target = Assert.Single(server.UpgradeTargets);
        Assert.Equal("/ws", target);
        Assert.DoesNotContain("sk_", target, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ConnectRealtimeAsync_PrivateKeyWithoutActor_SendsNoActorHeader()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(new CossistantClientOptions
        {
            ApiUrl = server.ApiUrl,
            RealtimeUrl = server.RealtimeUrl,
            PrivateApiKey = PrivateKey,
        });
        await client.SetWebsiteContextAsync(RealtimeTestServer.WebsiteId, RealtimeTestServer.VisitorId);

        await client.ConnectRealtimeAsync(Ct).Within();

        var headers = Assert.Single(server.UpgradeRequests);
        Assert.Equal("Bearer " + PrivateKey, headers["Authorization"].ToString());
        Assert.False(headers.ContainsKey("X-Actor-User-Id"));
        Assert.Equal(RealtimeTestServer.VisitorId, headers["X-Visitor-Id"].ToString());
        Assert.Equal("/ws", Assert.Single(server.UpgradeTargets));
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ConnectRealtimeAsync_Hello_ConnectedWithConnectionIdAfterConnecting()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        var changes = RecordConnectionChanges(client);
        await client.FetchWebsiteAsync(Ct).Within();
        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);

        await client.ConnectRealtimeAsync(Ct).Within();

        var state = client.RealtimeConnectionState;
        Assert.Equal(RealtimeConnectionStatus.Connected, state.Status);
        Assert.StartsWith("conn_", state.ConnectionId, StringComparison.Ordinal);
        Assert.Null(state.LastError);
        Assert.False(state.IsPermanentFailure);
        Assert.Equal(0, state.FailedAttempts);
        await RealtimeTestServer.WaitUntilAsync(() => changes.Count >= 2, "two connection changes");
        Assert.Collection(
            changes,
            change =>
            {
                Assert.Equal(RealtimeConnectionStatus.Disconnected, change.Previous.Status);
                Assert.Equal(RealtimeConnectionStatus.Connecting, change.Current.Status);
            },
            change =>
            {
                Assert.Equal(RealtimeConnectionStatus.Connecting, change.Previous.Status);
                Assert.Equal(RealtimeConnectionStatus.Connected, change.Current.Status);
                Assert.Equal(state.ConnectionId, change.Current.ConnectionId);
            });
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task FetchWebsiteAsync_AutoConnect_ConnectsWithoutConnectRealtimeAsync()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        var options = PublicOptions(server);
        options.Realtime.AutoConnect = true;
        await using var client = new CossistantClient(options);

        await client.FetchWebsiteAsync(Ct).Within();

        await RealtimeTestServer.WaitUntilAsync(
            () => client.RealtimeConnectionState.Status == RealtimeConnectionStatus.Connected, "the automatic connection");
        await RealtimeTestServer.WaitUntilAsync(() => server.StateFetches >= 1, "the catch-up fetch");
        Assert.Equal(1, server.UpgradeAttempts);
        Assert.Equal(RealtimeTestServer.VisitorId, Assert.Single(server.UpgradeRequests)["X-Visitor-Id"].ToString());
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task FetchWebsiteAsync_WithoutAutoConnect_DoesNotConnect()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));

        await client.FetchWebsiteAsync(Ct).Within();
        await Task.Delay(300, Ct); // bounded "nothing happens" window

        Assert.Equal(0, server.UpgradeAttempts);
        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);
    }
}
