using System.Net.WebSockets;
using Cossistant.Client.IntegrationTests.RealtimeServer;
using static Cossistant.Client.IntegrationTests.Realtime.RealtimeTestKit;

namespace Cossistant.Client.IntegrationTests.Realtime;

/// <summary>Closes 1008/1011 and authentication error frames are permanent: no retry loop; an explicit reconnect recovers.</summary>
public sealed class RealtimePermanentFailureTests
{
    private const string AuthFailure = """{"error":"Authentication failed","message":"Invalid API key","code":401}""";

    /// <summary>With a 50 ms base delay a wrongly retrying client would try many times in this window.</summary>
    private const int QuietWindowMs = 1500;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ConnectRealtimeAsync_AuthErrorFrameThenClose1008_ThrowsAndNeverRetries()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        server.AuthFailureFrame = AuthFailure;
        server.AuthFailureCloseStatus = 1008;
        await using var client = new CossistantClient(PublicOptions(server));
        await client.FetchWebsiteAsync(Ct).Within();

        var thrown = await Assert.ThrowsAsync<CossistantRealtimeException>(() => client.ConnectRealtimeAsync(Ct).Within());

        var state = client.RealtimeConnectionState;
        Assert.Equal(RealtimeConnectionStatus.Disconnected, state.Status);
        Assert.True(state.IsPermanentFailure);
        var error = Assert.IsType<CossistantRealtimeException>(state.LastError);
        Assert.Same(error, thrown);
        Assert.Equal("Invalid API key", error.ServerMessage);
        Assert.Equal(401, error.StatusCode);
        Assert.DoesNotContain(PublicKey, error.Message, StringComparison.Ordinal);
        await Task.Delay(QuietWindowMs, Ct); // bounded "nothing happens" window
        Assert.Equal(1, server.UpgradeAttempts);
        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);

    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ConnectRealtimeAsync_PlainClose1011_ThrowsAndNeverRetries()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        server.CloseAfterUpgradeStatus = 1011;
        await using var client = new CossistantClient(PublicOptions(server));
        await client.FetchWebsiteAsync(Ct).Within();

        var thrown = await Assert.ThrowsAsync<CossistantRealtimeException>(() => client.ConnectRealtimeAsync(Ct).Within());

        Assert.Equal(1011, thrown.CloseStatus);
        var state = client.RealtimeConnectionState;
        Assert.Equal(RealtimeConnectionStatus.Disconnected, state.Status);
        Assert.True(state.IsPermanentFailure);
        Assert.Same(thrown, state.LastError);
        await Task.Delay(QuietWindowMs, Ct); // bounded "nothing happens" window
        Assert.Equal(1, server.UpgradeAttempts);

    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ConnectRealtimeAsync_PlainClose1008_ThrowsAndNeverRetries()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        server.CloseAfterUpgradeStatus = 1008;
        await using var client = new CossistantClient(PublicOptions(server));
        await client.FetchWebsiteAsync(Ct).Within();

        var thrown = await Assert.ThrowsAsync<CossistantRealtimeException>(() => client.ConnectRealtimeAsync(Ct).Within());

        Assert.Equal(1008, thrown.CloseStatus);
        Assert.True(client.RealtimeConnectionState.IsPermanentFailure);
        await Task.Delay(QuietWindowMs, Ct); // bounded "nothing happens" window
        Assert.Equal(1, server.UpgradeAttempts);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ServerClose1008WhileConnected_StopsWithoutRetry()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(PublicOptions(server));
        await ConnectAsync(client, server);

        await server.CloseAllAsync(WebSocketCloseStatus.PolicyViolation, "credentials revoked");

        await RealtimeTestServer.WaitUntilAsync(
            () => client.RealtimeConnectionState.Status == RealtimeConnectionStatus.Disconnected, "the client stops");
        var state = client.RealtimeConnectionState;
        Assert.True(state.IsPermanentFailure);
        Assert.Equal(1008, Assert.IsType<CossistantRealtimeException>(state.LastError).CloseStatus);
        await Task.Delay(QuietWindowMs, Ct); // bounded "nothing happens" window
        Assert.Equal(1, server.UpgradeAttempts);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ConnectRealtimeAsync_IdentificationRequiredFrame_IsPermanent()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        server.AuthFailureFrame = """{"error":"Identification required","message":"Visitor id is required"}""";
        server.AuthFailureCloseStatus = 1008;
        await using var client = new CossistantClient(PublicOptions(server));
        await client.FetchWebsiteAsync(Ct).Within();

        var thrown = await Assert.ThrowsAsync<CossistantRealtimeException>(() => client.ConnectRealtimeAsync(Ct).Within());

        Assert.True(client.RealtimeConnectionState.IsPermanentFailure);
        Assert.Equal("Identification required", thrown.ErrorCode);
        await Task.Delay(500, Ct); // bounded "nothing happens" window
        Assert.Equal(1, server.UpgradeAttempts);
    }

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReconnectRealtimeAsync_AfterPermanentFailure_CompletesWhenConnected(bool plainClose1011)
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = await PermanentlyFailedClientAsync(server, plainClose1011);

        await client.ReconnectRealtimeAsync(Ct).Within();

        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
        Assert.False(client.RealtimeConnectionState.IsPermanentFailure);
        Assert.Equal(2, server.UpgradeAttempts);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ConnectRealtimeAsync_AfterPermanentFailure_CompletesWhenConnected()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = await PermanentlyFailedClientAsync(server, plainClose1011: false);

        await client.ConnectRealtimeAsync(Ct).Within();

        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
    }

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReconnectRealtimeAsync_AfterPermanentFailure_ConnectsAgain(bool plainClose1011)
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = await PermanentlyFailedClientAsync(server, plainClose1011);
        var connectionBefore = client.RealtimeConnectionState;

        await client.ReconnectRealtimeAsync(Ct).Within();

        Assert.Equal(2, server.UpgradeAttempts);
        Assert.False(client.RealtimeConnectionState.IsPermanentFailure);
        Assert.Null(client.RealtimeConnectionState.LastError);
        Assert.True(connectionBefore.IsPermanentFailure);
        await RealtimeTestServer.WaitUntilAsync(() => server.StateFetches >= 1, "the catch-up fetch after the reconnect");
        await RealtimeTestServer.WaitUntilAsync(() => server.OpenSockets == 1, "the server registered the socket");
        await server.BroadcastAsync(Event(Flags("after-recovery")));
        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("after-recovery"), "events flow again");
    }

    /// <summary>A client whose connection failed for good (auth error frame + 1008, or a plain 1011); the server then accepts again.</summary>
    private static async Task<CossistantClient> PermanentlyFailedClientAsync(RealtimeTestServer server, bool plainClose1011)
    {
        if (plainClose1011)
        {
            server.CloseAfterUpgradeStatus = 1011;
        }
        else
        {
            server.AuthFailureFrame = AuthFailure;
        }

        var client = new CossistantClient(PublicOptions(server));
        await client.FetchWebsiteAsync(Ct).Within();
        await Assert.ThrowsAsync<CossistantRealtimeException>(() => client.ConnectRealtimeAsync(Ct).Within());
        Assert.True(client.RealtimeConnectionState.IsPermanentFailure);
        server.CloseAfterUpgradeStatus = null;
        server.AuthFailureFrame = null;
        return client;
    }
}
