using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Sessions;

/// <summary>The stateless server client against the emulator, at the scale of a server: a thousand visitors.</summary>
public sealed class ServerClientTests
{
    private const int Visitors = 1_000;

    [Fact(Timeout = 120_000)]
    public async Task ThousandVisitors_CachedReadsCollapseMatchTheServerAndSeeOwnChangesAtOnce()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var ids = await SeedAsync(emulator, Visitors);
        await using var api = new CossistantServerClient(emulator.CreateClientOptions(privateKey: true));
        emulator.ClearRequests();

        // 1,000 concurrent first reads spread over 100 visitors: one request per visitor.
        var first = ids.Take(100).ToArray();
        var reads = await Task.WhenAll(Enumerable.Range(0, 1_000).Select(i => Task.Run(() => api.GetCachedVisitorSupportStateAsync(first[i % 100], Ct).AsTask(), Ct)));
        Assert.Equal(100, StateRequests(emulator));
        for (var i = 0; i < reads.Length; i++)
        {
            Assert.Equal(emulator.GetSupportState(first[i % 100]), reads[i]);
        }

        // Every visitor: the 900 not read yet are asked once each; then the cache answers alone.
        var all = await Task.WhenAll(ids.Select(id => api.GetCachedVisitorSupportStateAsync(id, Ct).AsTask()));
        Assert.Equal(Visitors, StateRequests(emulator));
        Assert.All(ids.Zip(all), pair => Assert.Equal(emulator.GetSupportState(pair.First), pair.Second));
        foreach (var id in ids)
        {
            var cached = api.GetCachedVisitorSupportStateAsync(id, Ct);
            Assert.True(cached.IsCompletedSuccessfully); // no request: answered synchronously
            Assert.Equal(emulator.GetSupportState(id), await cached);
        }

        Assert.Equal(Visitors, StateRequests(emulator));

        // A change made through this client is seen by the next cached read.
        var changed = ids[123];
        await api.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(changed), FeatureFlagOperation.Add, ["just-added"], Ct);
        Assert.True(await api.IsFeatureFlagEnabledAsync(changed, new FeatureFlag("just-added"), Ct));
        Assert.Equal(Visitors + 1, StateRequests(emulator));

        // Onboarding for any visitor, answered with its full state, which the cache keeps.
        var updated = await api.CompleteOnboardingStepAsync(ids[7], new OnboardingStep("workspace"), Ct);
        Assert.Equal(emulator.GetSupportState(ids[7]), updated);
        Assert.Same(updated, await api.GetCachedVisitorSupportStateAsync(ids[7], Ct));
    }

    [Fact]
    public async Task GetVisitorSupportStateAsync_AnotherWebsitesVisitor_404AndNothingCached()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var other = emulator.CreateWebsite("Other", "other.example");
        var foreign = emulator.CreateVisitor(other.Id);
        await using var api = ServerApi(emulator);

        var error = await Assert.ThrowsAsync<CossistantApiException>(() => api.GetCachedVisitorSupportStateAsync(foreign, Ct).AsTask());

        Assert.Equal(404, error.StatusCode);
        var again = api.GetCachedVisitorSupportStateAsync(foreign, Ct).AsTask(); // a failure is not cached: asked again
        await Assert.ThrowsAsync<CossistantApiException>(() => again);
        Assert.Equal(2, emulator.Requests.Count(request => request.Path == "/v1/support/state"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-ulid")]
    [InlineData("01m89bs72zmxq64jp8k5n8ppsf")]
    public async Task EveryVisitorCall_InvalidVisitorId_ArgumentExceptionBeforeAnyRequest(string visitorId)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var api = ServerApi(emulator);
        var before = emulator.Requests.Count;

        Assert.Equal("visitorId", (await Assert.ThrowsAsync<ArgumentException>(() => api.GetVisitorSupportStateAsync(visitorId, Ct))).ParamName);
        Assert.Equal("visitorId", (await Assert.ThrowsAsync<ArgumentException>(() => api.GetCachedVisitorSupportStateAsync(visitorId, Ct).AsTask())).ParamName);
        Assert.Equal("visitorId", (await Assert.ThrowsAsync<ArgumentException>(() => api.UpdateVisitorOnboardingAsync(visitorId, OnboardingUpdate.Reset(), Ct))).ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => api.IdentifyVisitorAsync(visitorId, new IdentifyRequest { ExternalId = "x" }, Ct));
        Assert.Equal(before, emulator.Requests.Count);
    }

    [Fact]
    public async Task MutateSupportFeatureFlagsAsync_PublicKeyOnly_InvalidOperationBeforeAnyRequest()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var api = new CossistantServerClient(emulator.CreateClientOptions());
        var before = emulator.Requests.Count;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => api.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(emulator.CreateVisitor()), FeatureFlagOperation.Add, ["x"], Ct));

        Assert.Contains("PrivateApiKey", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, emulator.Requests.Count);
    }

    /// <summary>Creates visitors, each with flags of its own (a shared one and a unique one).</summary>
    internal static async Task<string[]> SeedAsync(CossistantEmulator emulator, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => emulator.CreateVisitor()).ToArray();
        await using var seeder = ServerApi(emulator);
        await Parallel.ForEachAsync(
            ids.Select((id, index) => (id, index)),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct },
            async (visitor, token) => await seeder.MutateSupportFeatureFlagsAsync(
                FeatureFlagTarget.Visitor(visitor.id), FeatureFlagOperation.Set, [$"group-{visitor.index % 7}", $"v-{visitor.index}"], token));
        return ids;
    }

    private static int StateRequests(CossistantEmulator emulator) =>
        emulator.Requests.Count(request => request.Method == "GET" && request.Path == "/v1/support/state");
}
