using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Cossistant.Client.Testing;

namespace Cossistant.Client.Benchmarks;

/// <summary>
/// Server-side flag reads for a visitor from one factory's cache (10 flags in the state): the stateless
/// server client's cached read (<c>IsFeatureFlagEnabledAsync</c>, a hit answered synchronously) and a session's
/// read. The state is loaded from the emulator, which is then stopped; the time to live is a day, so every read is
/// a hit.
/// </summary>
[BenchmarkCategory("server")]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the factory in [GlobalCleanup].")]
public class ServerReadBenchmarks
{
    private CossistantSessionFactory _factory = null!;
    private ICossistantServerClient _server = null!;
    private CossistantSession _session = null!;
    private FeatureFlag _enabled = null!;
    private FeatureFlag _disabled = null!;
    private string _visitorId = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _factory.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "server client, cached read, typed flag hit")]
    public bool CachedHit() => Completed(_server.IsFeatureFlagEnabledAsync(_visitorId, _enabled));

    [Benchmark(Description = "server client, cached read, typed flag miss")]
    public bool CachedMiss() => Completed(_server.IsFeatureFlagEnabledAsync(_visitorId, _disabled));

    [Benchmark(Description = "session, typed flag hit")]
    public bool SessionHit() => _session.IsFeatureFlagEnabled(_enabled);

    /// <summary>A cache hit completes synchronously; anything else would be a request, which these benchmarks must not time.</summary>
    private static bool Completed(ValueTask<bool> read) =>
        read.IsCompletedSuccessfully ? read.Result : throw new InvalidOperationException("The read was not a cache hit.");

    private async Task SetupAsync()
    {
        var names = Fixtures.FlagNames(10);
        var declared = names.Select(name => new FeatureFlag(name)).ToArray();
        _enabled = declared[5];
        _disabled = new FeatureFlag("flag-off");
        await using var emulator = await CossistantEmulator.StartAsync();
        _visitorId = emulator.CreateVisitor();
        var options = emulator.CreateClientOptions(privateKey: true);
        options.StateTimeToLive = TimeSpan.FromDays(1);
        options.Support = SupportConfig.Create([.. declared, _disabled]);
        _factory = new CossistantSessionFactory(options);
        _server = _factory.ServerClient;
        await _server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(_visitorId), FeatureFlagOperation.Set, names);
        await _server.GetCachedVisitorSupportStateAsync(_visitorId);
        _session = _factory.CreateSession(_visitorId);
        await _session.FetchSupportStateAsync();
        if (!CachedHit() || CachedMiss() || !SessionHit())
        {
            throw new InvalidOperationException("The cached state is not the one the benchmark expects.");
        }
    }
}
