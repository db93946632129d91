namespace Cossistant.Client.Tests.Performance;

/// <summary>
/// A flag check sits on every request path and every render: it must not allocate. These gates count bytes
/// (GC.GetAllocatedBytesForCurrentThread), never time, so a regression fails CI on any machine.
/// </summary>
public sealed class AllocationGateTests
{
    private const int Iterations = 10_000;

    [Fact]
    public async Task IsFeatureFlagEnabled_TypedAndByName_HitAndMiss_AllocateNothing()
    {
        var hit = new FeatureFlag("new-message");
        var miss = new FeatureFlag("billing-v2");
        var options = new CossistantClientOptions
        {
            PrivateApiKey = "sk_test_" + new string('0', 64),
            Support = SupportConfig.Create([hit, miss]),
        };
        await using var client = new CossistantClient(options);
        await client.SetWebsiteContextAsync("01M89BBY28DNGS7RTEYF8WAPAT", "01M89BS72ZMXQ64JP8K5N8PPSF");
        var flags = Enumerable.Range(0, 500).Select(i => $"flag-{i}").Append("new-message");
        var store = client.Session!.Store;
        store.TryApplyServerState(new SupportState(flags), store.IssueTicket());
        var name = "new-message";
        var missingName = "flag-missing";

        var hits = 0;
        for (var i = 0; i < Iterations; i++)
        {
            hits += Check(client, hit, miss, name, missingName); // warm up (JIT, tiering)
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            hits += Check(client, hit, miss, name, missingName);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(2 * 2 * Iterations, hits); // the checks really ran and answered correctly
    }

    [Fact]
    public async Task CachedServerRead_AndSessionRead_AllocateNothing()
    {
        var hit = new FeatureFlag("new-message");
        var options = new CossistantClientOptions
        {
            PrivateApiKey = "sk_test_" + new string('0', 64),
            Support = SupportConfig.Create([hit]),
            StateTimeToLive = TimeSpan.FromDays(1),
        };
        await using var factory = new CossistantSessionFactory(options);
        const string visitorId = "01M89BS72ZMXQ64JP8K5N8PPSF";
        var runtime = factory.Runtime;
        runtime.Cache.GetOrAdd(visitorId).Publish(new SupportState(["new-message"]), runtime.Tickets.Next(), null); // as an answer would
        await using var session = factory.CreateSession(visitorId);
        await session.FetchSupportStateAsync(cancellationToken: TestContext.Current.CancellationToken); // from the cache: no request
        var server = factory.ServerClient;

        var hits = 0;
        for (var i = 0; i < Iterations; i++)
        {
            hits += await ReadAsync(server, session, visitorId, hit); // warm up
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            hits += SynchronousHit(server.IsFeatureFlagEnabledAsync(visitorId, hit, TestContext.Current.CancellationToken)) ? 1 : 0;
            hits += session.IsFeatureFlagEnabled(hit) ? 1 : 0;
            hits += session.IsFeatureFlagEnabled("new-message") ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(3 * 2 * Iterations, hits);
    }

    [Fact]
    public void SupportStateIsFeatureFlagEnabled_ByName_AllocatesNothing()
    {
        var state = new SupportState(Enumerable.Range(0, 10).Select(i => $"flag-{i}"));
        var hits = 0;
        for (var i = 0; i < Iterations; i++)
        {
            hits += state.IsFeatureFlagEnabled("flag-3") ? 1 : 0;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            hits += state.IsFeatureFlagEnabled("flag-3") ? 1 : 0;
            hits += state.IsFeatureFlagEnabled("absent") ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2 * Iterations, hits);
    }

    /// <summary>A cache hit completes synchronously; anything else fails the gate.</summary>
    private static bool SynchronousHit(ValueTask<bool> read) =>
        read.IsCompletedSuccessfully ? read.Result : throw new InvalidOperationException("The cached read did not complete synchronously.");

    private static async Task<int> ReadAsync(ICossistantServerClient server, CossistantSession session, string visitorId, FeatureFlag flag) =>
        (await server.IsFeatureFlagEnabledAsync(visitorId, flag) ? 1 : 0)
        + (session.IsFeatureFlagEnabled(flag) ? 1 : 0)
        + (session.IsFeatureFlagEnabled(flag.Name) ? 1 : 0);

    private static int Check(CossistantClient client, FeatureFlag hit, FeatureFlag miss, string name, string missingName) =>
        (client.IsFeatureFlagEnabled(hit) ? 1 : 0)
        + (client.IsFeatureFlagEnabled(miss) ? 1 : 0)
        + (client.IsFeatureFlagEnabled(name) ? 1 : 0)
        + (client.IsFeatureFlagEnabled(missingName) ? 1 : 0);
}
