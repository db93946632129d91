using Cossistant.Client.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.DependencyInjection;

/// <summary>A scoped session per request or circuit, and two websites in one app through named registrations.</summary>
public sealed class SessionRegistrationTests
{
    [Fact]
    public async Task ScopedSession_OnePerScope_BoundToTheScopesVisitor_DisposedWithTheScope()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var local = emulator.CreateClientOptions(privateKey: true);
        var services = new ServiceCollection().AddLogging();
        services.AddScoped<RequestVisitor>();
        services.AddCossistant(options =>
        {
            options.ApiUrl = local.ApiUrl;
            options.RealtimeUrl = local.RealtimeUrl;
            options.PrivateApiKey = local.PrivateApiKey;
        }).WithVisitorId(provider => provider.GetRequiredService<RequestVisitor>().Id);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        var a = emulator.CreateVisitor();
        var b = emulator.CreateVisitor();

        CossistantSession first;
        await using (var scope = provider.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<RequestVisitor>().Id = a;
            first = scope.ServiceProvider.GetRequiredService<CossistantSession>();
            Assert.Same(first, scope.ServiceProvider.GetRequiredService<CossistantSession>());
            Assert.Equal(a, first.VisitorId);
            await first.FetchSupportStateAsync(cancellationToken: Ct);
        }

        Assert.True(first.IsDisposed);
        await using (var scope = provider.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<RequestVisitor>().Id = b;
            var second = scope.ServiceProvider.GetRequiredService<CossistantSession>();
            Assert.NotSame(first, second);
            Assert.Equal(b, second.VisitorId);
        }
    }

    [Fact]
    public async Task ScopedSession_NoVisitorSource_ClearErrorNamingTheFix()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(options => options.PrivateApiKey = "sk_test_" + new string('a', 64));
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();

        var error = Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<CossistantSession>());

        Assert.Contains("WithVisitorId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamedRegistrations_TwoWebsites_EachKeyedServiceUsesItsOwnKeysAndCache()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var second = emulator.CreateWebsite("Second", "second.example");
        var siteA = emulator.CreateClientOptions(privateKey: true);
        var siteB = emulator.CreateClientOptions(second, privateKey: true);
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant("a", options => Copy(siteA, options));
        services.AddCossistant("b", options => Copy(siteB, options));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var visitorA = emulator.CreateVisitor();
        var visitorB = emulator.CreateVisitor(second.Id);

        var serverA = provider.GetRequiredKeyedService<ICossistantServerClient>("a");
        var serverB = provider.GetRequiredKeyedService<ICossistantServerClient>("b");
        Assert.NotSame(serverA, serverB);
        Assert.NotSame(provider.GetRequiredKeyedService<CossistantSessionFactory>("a"), provider.GetRequiredKeyedService<CossistantSessionFactory>("b"));
        Assert.Null(provider.GetService<ICossistantServerClient>()); // only the named ones were registered

        await serverA.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorA), FeatureFlagOperation.Add, ["on-a"], Ct);
        await serverB.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorB), FeatureFlagOperation.Add, ["on-b"], Ct);
        Assert.True((await serverA.GetCachedVisitorSupportStateAsync(visitorA, Ct)).IsFeatureFlagEnabled("on-a"));
        Assert.True((await serverB.GetCachedVisitorSupportStateAsync(visitorB, Ct)).IsFeatureFlagEnabled("on-b"));

        // Each registration is its own website: a's key does not reach b's visitor.
        var refused = await Assert.ThrowsAsync<CossistantApiException>(() => serverA.GetVisitorSupportStateAsync(visitorB, Ct));
        Assert.Equal(404, refused.StatusCode);
        Assert.Contains(emulator.Requests, request => request.Header("Authorization") == "Bearer " + siteB.PrivateApiKey);
    }

    private static void Copy(CossistantClientOptions from, CossistantClientOptions to)
    {
        to.ApiUrl = from.ApiUrl;
        to.RealtimeUrl = from.RealtimeUrl;
        to.PrivateApiKey = from.PrivateApiKey;
    }

    private sealed class RequestVisitor
    {
        public string? Id { get; set; }
    }
}
