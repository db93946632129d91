namespace Cossistant.Client.IntegrationTests.RealtimeServer;

public sealed class RealtimeSmokeTests
{
    [Fact]
    public async Task ConnectRealtimeAsync_PushedEvent_FlipsFlag()
    {
        await using var server = await RealtimeTestServer.StartAsync();
        await using var client = new CossistantClient(new CossistantClientOptions
        {
            ApiUrl = server.ApiUrl,
            RealtimeUrl = server.RealtimeUrl,
            PublicKey = "pk_test_" + new string('a', 64),
            Origin = "http://localhost:3000",
        });
        await client.FetchWebsiteAsync(TestContext.Current.CancellationToken);
        await client.ConnectRealtimeAsync(TestContext.Current.CancellationToken);
        await RealtimeTestServer.WaitUntilAsync(() => server.StateFetches >= 1, "the catch-up fetch");
        Assert.False(client.IsFeatureFlagEnabled("new-message"));

        await server.BroadcastAsync(RealtimeTestServer.SupportStateUpdated("""{"featureFlags":["new-message"],"onboarding":{"steps":{}}}"""));
        await RealtimeTestServer.WaitUntilAsync(() => client.IsFeatureFlagEnabled("new-message"), "the event applies");
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
    }
}
