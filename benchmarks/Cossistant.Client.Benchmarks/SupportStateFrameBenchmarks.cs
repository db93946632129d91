using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Cossistant.Client.Realtime;

namespace Cossistant.Client.Benchmarks;

/// <summary>
/// One <c>supportStateUpdated</c> frame applied the way the realtime receive path applies it: the frame text is
/// parsed (<c>RealtimeFrameParser.Parse(string)</c>: envelope, flag normalization, onboarding normalization), then
/// the state is published through the client's store (<c>TryApplyServerState</c> with a fresh ticket, as
/// <c>CossistantClient.OnRealtimeFrame</c> does): new snapshot, declared-flag array, change diff, and the
/// <c>SupportStateChanged</c> subscriber and <c>SupportStateChanges</c> observer notified. Invocations alternate
/// between two frames that differ in one flag and one step, so every frame is a real change.
/// </summary>
[WarmupCount(BenchmarkConfig.LongWarmup)]
[BenchmarkCategory("frame")]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the client in [GlobalCleanup].")]
public class SupportStateFrameBenchmarks
{
    private CossistantClient _client = null!;
    private IDisposable _observer = null!;
    private string _frameA = null!;
    private string _frameB = null!;
    private bool _flip;
    private int _notified;

    /// <summary>The payload: flags in the state (all declared by the config) and onboarding steps.</summary>
    [Params("10 flags, 5 steps", "250 flags, 25 steps", "500 flags, 50 steps")]
    public string Payload { get; set; } = null!;

    /// <summary>The frame size in UTF-8 bytes (shown in the results for the per-byte cost).</summary>
    public int FrameBytes => System.Text.Encoding.UTF8.GetByteCount(_frameA);

    [GlobalSetup]
    public void Setup()
    {
        var (flags, steps) = Size(Payload);
        var names = Fixtures.FlagNames(flags);
        var config = SupportConfig.Create(names.Select(name => new FeatureFlag(name)));
        _client = new CossistantClient(Fixtures.OfflineOptions(config));
        _client.SetWebsiteContextAsync(Fixtures.OfflineWebsiteId, Fixtures.OfflineVisitorId).GetAwaiter().GetResult();
        _client.SupportStateChanged += (_, change) =>
        {
            if (change.FlagsChanged)
            {
                _notified++;
            }
        };
        _observer = _client.SupportStateChanges.Subscribe(new CountingObserver());

        // A: every flag but the last, B: every flag but the first; B also completes one more step.
        var a = new SupportState(names[..^1], Fixtures.Onboarding(steps, completed: steps / 2));
        var b = new SupportState(names[1..], Fixtures.Onboarding(steps, completed: (steps / 2) + 1));
        _frameA = Fixtures.SupportStateUpdatedFrame(Fixtures.OfflineWebsiteId, "org_benchmark", Fixtures.OfflineVisitorId, a);
        _frameB = Fixtures.SupportStateUpdatedFrame(Fixtures.OfflineWebsiteId, "org_benchmark", Fixtures.OfflineVisitorId, b);

        ApplyFrame();
        ApplyFrame();
        if (_notified != 2 || !_client.SupportState.Equals(b))
        {
            throw new InvalidOperationException("The frames did not reach the subscriber as expected.");
        }

        Console.WriteLine($"// {Payload}: frame {FrameBytes} bytes");
    }

    internal static (int Flags, int Steps) Size(string payload) => payload switch
    {
        "10 flags, 5 steps" => (10, 5),
        "250 flags, 25 steps" => (250, 25),
        "500 flags, 50 steps" => (500, 50),
        _ => throw new ArgumentOutOfRangeException(nameof(payload), payload, "Unknown payload."),
    };

    [GlobalCleanup]
    public void Cleanup()
    {
        _observer.Dispose();
        _client.Dispose();
    }

    [Benchmark(Description = "apply supportStateUpdated frame")]
    public long ApplyFrame()
    {
        _flip = !_flip;
        var frame = (RealtimeFrame.SupportStateUpdated)RealtimeFrameParser.Parse(_flip ? _frameA : _frameB);
        var store = _client.Session!.Store;
        store.TryApplyServerState(frame.State, store.IssueTicket());
        return store.Snapshot.Version;
    }

    private sealed class CountingObserver : IObserver<SupportStateSnapshot>
    {
        public long Count { get; private set; }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(SupportStateSnapshot value) => Count++;
    }
}
