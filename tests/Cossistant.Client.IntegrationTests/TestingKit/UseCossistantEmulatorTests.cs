using Cossistant.Client.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Cossistant.Client.IntegrationTests.TestingKit.KitSupport;

namespace Cossistant.Client.IntegrationTests.TestingKit;

/// <summary>
/// <c>services.UseCossistantEmulator(emulator)</c>: whatever the app configured for <c>AddCossistant</c> (URLs, keys,
/// Origin), its registration talks to the test's emulator, keeps the app's way of authenticating, and is valid on start.
/// </summary>
public sealed class UseCossistantEmulatorTests
{
    private static readonly string RealPrivateKey = "sk_" + new string('a', 64);
    private static readonly string RealPublicKey = "pk_" + new string('b', 64);

    [Fact]
    public async Task UseCossistantEmulator_ServerAppConfiguredTheRealApi_ItsServerClientReadsTheTestsEmulator()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.SeedVisitor(seed => seed.WithFlags(NewMessage).WithCompletedStep(Workspace));
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(options =>
        {
            options.ApiUrl = CossistantClientOptions.DefaultApiUrl;
            options.PrivateApiKey = RealPrivateKey;
            options.Origin = "https://app.example.org";
            options.Support = Config;
        });

        services.UseCossistantEmulator(emulator);

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<CossistantClientOptions>>().Value;
        Assert.Equal(emulator.ApiUrl, options.ApiUrl);
        Assert.Equal(emulator.RealtimeUrl, options.RealtimeUrl);
        Assert.Equal(emulator.DefaultWebsite.PrivateApiKey, options.PrivateApiKey);
        Assert.Null(options.PublicKey);
        Assert.Equal(CossistantEmulator.DefaultOrigin, options.Origin);
        Assert.Same(Config, options.Support);

        var state = await provider.GetRequiredService<ICossistantServerClient>().GetVisitorSupportStateAsync(visitorId, Ct);
        Assert.Equal(emulator.GetSupportState(visitorId), state);
        Assert.True(state.IsFeatureFlagEnabled(NewMessage));
    }

    [Fact]
    public async Task UseCossistantEmulator_VisitorAppWithAPublicKey_StaysOnThePublicKeyWithAnAllowlistedOrigin()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(options =>
        {
            options.PublicKey = RealPublicKey;
            options.Origin = "https://shop.example.org"; // not on the emulator's allowlist
            options.Support = Config;
        }).AddVisitorClient();

        services.UseCossistantEmulator(emulator);

        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CossistantClient>();
        await client.FetchWebsiteAsync(Ct);
        var request = await emulator.WaitForRequestAsync(r => r.Path == "/v1/websites", Bound, Ct);
        Assert.Equal(200, request.StatusCode);
        Assert.Equal(emulator.DefaultWebsite.PublicKey, request.Header("X-Public-Key"));
        Assert.Equal(CossistantEmulator.DefaultOrigin, request.Header("Origin"));
        Assert.Null(request.Header("Authorization"));
    }

    [Fact]
    public async Task UseCossistantEmulator_NoKeysConfigured_TheRegistrationIsValidOnStartWithBothKeys()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var withoutEmulator = new ServiceCollection().AddLogging();
        withoutEmulator.AddCossistant(options => options.Support = Config);
        await using (var invalid = withoutEmulator.BuildServiceProvider())
        {
            Assert.Throws<OptionsValidationException>(invalid.GetRequiredService<IStartupValidator>().Validate);
        }

        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(options => options.Support = Config);
        services.UseCossistantEmulator(emulator);

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<CossistantClientOptions>>().Value;
        Assert.Equal(emulator.DefaultWebsite.PublicKey, options.PublicKey);
        Assert.Equal(emulator.DefaultWebsite.PrivateApiKey, options.PrivateApiKey);
        var result = await provider.GetRequiredService<ICossistantServerClient>()
            .MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(emulator.CreateVisitor()), FeatureFlagOperation.Add, [BillingV2], Ct);
        Assert.Equal([BillingV2.Name], result.Flags);
    }

    [Fact]
    public async Task UseCossistantEmulator_NamedRegistrationAndWebsite_OverridesThatRegistrationOnly()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var other = emulator.CreateWebsite("Other", "other.example");
        var visitorId = emulator.SeedVisitor(seed => seed.WithFlags("other-site"), other.Id);
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(options => options.PrivateApiKey = RealPrivateKey);
        services.AddCossistant("second", options => options.PrivateApiKey = RealPrivateKey);

        services.UseCossistantEmulator(emulator, name: "second", website: other);

        await using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<CossistantClientOptions>>();
        Assert.Equal(CossistantClientOptions.DefaultApiUrl, monitor.Get(Options.DefaultName).ApiUrl);
        Assert.Equal(RealPrivateKey, monitor.Get(Options.DefaultName).PrivateApiKey);
        Assert.Equal(other.PrivateApiKey, monitor.Get("second").PrivateApiKey);
        var second = provider.GetRequiredKeyedService<ICossistantServerClient>("second");
        Assert.Equal(["other-site"], (await second.GetVisitorSupportStateAsync(visitorId, Ct)).FeatureFlags);
    }
}
