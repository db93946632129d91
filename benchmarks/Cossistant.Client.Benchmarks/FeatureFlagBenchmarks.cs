using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Cossistant.Client.Testing;

namespace Cossistant.Client.Benchmarks;

/// <summary>
/// <c>CossistantClient.IsFeatureFlagEnabled</c>, typed and by name, hit and miss, with 10 and 500 flags in the
/// state. The state is loaded the public way: a private-key client sets the visitor's flags on the emulator and
/// the visitor client fetches them (<c>SetWebsiteContextAsync</c> + <c>FetchSupportStateAsync</c>); the emulator is
/// then stopped, so no server thread runs while the checks are timed.
/// </summary>
[BenchmarkCategory("flags")]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the client in [GlobalCleanup].")]
public class FeatureFlagBenchmarks
{
    private CossistantClient _client = null!;
    private SupportState _state = null!;
    private FeatureFlag _enabled = null!;
    private FeatureFlag _disabled = null!;
    private string _enabledName = null!;
    private string _disabledName = null!;

    /// <summary>How many flags the visitor's state enables (and the config declares, plus one that stays off).</summary>
    [Params(10, 500)]
    public int FlagsInState { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Description = "typed flag, hit")]
    public bool TypedHit() => _client.IsFeatureFlagEnabled(_enabled);

    [Benchmark(Description = "typed flag, miss")]
    public bool TypedMiss() => _client.IsFeatureFlagEnabled(_disabled);

    [Benchmark(Description = "by name, hit")]
    public bool NameHit() => _client.IsFeatureFlagEnabled(_enabledName);

    [Benchmark(Description = "by name, miss")]
    public bool NameMiss() => _client.IsFeatureFlagEnabled(_disabledName);

    [Benchmark(Description = "SupportState alone, by name, hit")]
    public bool StateHit() => _state.IsFeatureFlagEnabled(_enabledName);

    private async Task SetupAsync()
    {
        var names = Fixtures.FlagNames(FlagsInState);
        var declared = names.Select(name => new FeatureFlag(name)).Append(new FeatureFlag("flag-off")).ToArray();
        var config = SupportConfig.Create(declared);
        _enabled = declared[FlagsInState / 2];
        _disabled = declared[^1];

        // Names built at run time, as a request path would produce them (not the interned literals the state holds).
        _enabledName = string.Concat("flag-", (FlagsInState / 2).ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
        _disabledName = string.Concat("flag-", "off");

        await using var emulator = await CossistantEmulator.StartAsync();
        var visitorId = emulator.CreateVisitor();
        await using (var server = new CossistantClient(emulator.CreateClientOptions(privateKey: true)))
        {
            await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Set, names);
        }

        var options = emulator.CreateClientOptions();
        options.Support = config;
        _client = new CossistantClient(options);
        await _client.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, visitorId);
        var state = await _client.FetchSupportStateAsync();
        _state = state;
        if (state.FeatureFlags.Length != FlagsInState || !_client.IsFeatureFlagEnabled(_enabled) || _client.IsFeatureFlagEnabled(_disabled)
            || !_client.IsFeatureFlagEnabled(_enabledName) || _client.IsFeatureFlagEnabled(_disabledName))
        {
            throw new InvalidOperationException($"The loaded state is not the one the benchmark expects: {state}");
        }
    }
}
