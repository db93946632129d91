using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Cossistant.Client.Realtime;

namespace Cossistant.Client.Benchmarks;

/// <summary>
/// Where the time of one <c>supportStateUpdated</c> frame goes (diagnostic, no target): parsing the frame text
/// alone, the flag normalization and lookup set alone (<c>new SupportState(flags)</c>), the set alone
/// (<c>ToFrozenSet</c>), and publishing an already parsed state through the store with a subscriber.
/// </summary>
[WarmupCount(BenchmarkConfig.LongWarmup)]
[BenchmarkCategory("frame-breakdown")]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the client in [GlobalCleanup].")]
public class FrameBreakdownBenchmarks
{
    private CossistantClient _client = null!;
    private string _frameA = null!;
    private string _frameB = null!;
    private string[] _names = null!;
    private SupportState _stateA = null!;
    private SupportState _stateB = null!;
    private bool _flip;

    [Params("10 flags, 5 steps", "500 flags, 50 steps")]
    public string Payload { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (flags, steps) = SupportStateFrameBenchmarks.Size(Payload);
        _names = Fixtures.FlagNames(flags);
        var config = SupportConfig.Create(_names.Select(name => new FeatureFlag(name)));
        _client = new CossistantClient(Fixtures.OfflineOptions(config));
        _client.SetWebsiteContextAsync(Fixtures.OfflineWebsiteId, Fixtures.OfflineVisitorId).GetAwaiter().GetResult();
        _client.SupportStateChanged += (_, _) => { };
        _stateA = new SupportState(_names[..^1], Fixtures.Onboarding(steps, completed: steps / 2));
        _stateB = new SupportState(_names[1..], Fixtures.Onboarding(steps, completed: (steps / 2) + 1));
        _frameA = Fixtures.SupportStateUpdatedFrame(Fixtures.OfflineWebsiteId, "org_benchmark", Fixtures.OfflineVisitorId, _stateA);
        _frameB = Fixtures.SupportStateUpdatedFrame(Fixtures.OfflineWebsiteId, "org_benchmark", Fixtures.OfflineVisitorId, _stateB);
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Description = "parse frame only")]
    public object ParseOnly()
    {
        _flip = !_flip;
        return RealtimeFrameParser.Parse(_flip ? _frameA : _frameB);
    }

    [Benchmark(Description = "new SupportState(flags) only")]
    public SupportState StateFromFlags() => new(_names);

    [Benchmark(Description = "ToFrozenSet(flags) only")]
    public FrozenSet<string> FrozenSetOnly() => _names.ToFrozenSet(StringComparer.Ordinal);

    [Benchmark(Description = "publish parsed state only")]
    public long PublishOnly()
    {
        _flip = !_flip;
        var store = _client.Session!.Store;
        store.TryApplyServerState(_flip ? _stateA : _stateB, store.IssueTicket());
        return store.Snapshot.Version;
    }
}
