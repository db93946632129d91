using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Cossistant.Client.State;

namespace Cossistant.Client.Benchmarks;

/// <summary>
/// One optimistic onboarding operation with 10 declared steps, through the client's store
/// (<c>SupportStateStore.Begin</c>: the update applied on top of the base, a new snapshot published, the
/// subscriber notified). An operation cannot be measured alone without growing the pending list, so each
/// benchmark times Begin together with the step that ends it, as the client does once the server answers:
/// a rollback (<c>Fail</c>, as on a cancelled call) or a confirmation (<c>Complete</c> with the server's state).
/// Each is two publishes. Every publish re-applies the operations still in the store to the base, so "Begin +
/// rollback" builds one new state and "Begin + confirm" three (the previous confirmed operation stays applied
/// until a newer base arrives).
/// </summary>
[WarmupCount(BenchmarkConfig.LongWarmup)]
[BenchmarkCategory("optimistic")]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the client in [GlobalCleanup].")]
public class OptimisticOperationBenchmarks
{
    private const int Steps = 10;

    /// <summary>Flags in the state: the optimistic path copies the state, so its cost may follow the flag count.</summary>
    [Params(10, 500)]
    public int FlagsInState { get; set; }

    private SupportConfig _config = null!;
    private OnboardingState _onboarding = null!;
    private CossistantClient _client = null!;
    private SupportStateStore _store = null!;
    private OnboardingUpdate _complete = null!;
    private OnboardingUpdate _uncomplete = null!;
    private SupportState _completed = null!;
    private SupportState _uncompleted = null!;
    private bool _baseCompleted;
    private int _notified;

    [GlobalSetup]
    public void Setup()
    {
        _config = SupportConfig.Create(Fixtures.FlagNames(FlagsInState).Select(name => new FeatureFlag(name)), Fixtures.DeclaredSteps(Steps));
        _onboarding = Fixtures.Onboarding(Steps, completed: 4);

        _client = new CossistantClient(Fixtures.OfflineOptions(_config));
        _client.SetWebsiteContextAsync(Fixtures.OfflineWebsiteId, Fixtures.OfflineVisitorId).GetAwaiter().GetResult();
        _client.SupportStateChanged += (_, _) => _notified++;
        _store = _client.Session!.Store;
        var state = new SupportState(Fixtures.FlagNames(FlagsInState), _onboarding);
        _store.TryApplyServerState(state, _store.IssueTicket());

        // Each operation flips the current step (the fifth) against the base, so each is a real change of the visible state.
        _complete = OnboardingUpdate.Complete(Fixtures.StepIds(Steps)[4]);
        _uncomplete = OnboardingUpdate.Uncomplete(Fixtures.StepIds(Steps)[4]);
        _completed = state.Apply(_complete);
        _uncompleted = state;

        var before = _notified;
        BeginThenRollback();
        BeginThenConfirm();
        if (_store.Snapshot.PendingOperations != 0 || _client.GetOnboarding().CurrentStepId != "step-005" || _notified != before + 4)
        {
            throw new InvalidOperationException("Unexpected store state after an optimistic operation.");
        }

        // Start from a fresh server state with no operation left in the store (a confirmed operation stays applied
        // until a newer base arrives). In "Begin + confirm" each confirmed operation then stays until the next one.
        _store.TryApplyServerState(_baseCompleted ? _completed : _uncompleted, _store.IssueTicket());
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Description = "optimistic op: Begin + rollback")]
    public long BeginThenRollback()
    {
        var operation = _store.Begin(_baseCompleted ? _uncomplete : _complete);
        _store.Fail(operation, null);
        return _store.Snapshot.Version;
    }

    [Benchmark(Description = "optimistic op: Begin + confirm")]
    public long BeginThenConfirm()
    {
        _baseCompleted = !_baseCompleted;
        var operation = _store.Begin(_baseCompleted ? _complete : _uncomplete);
        _store.Complete(operation, _baseCompleted ? _completed : _uncompleted);
        return _store.Snapshot.Version;
    }
}

/// <summary>The onboarding snapshot a page renders for 10 declared steps (<c>SupportConfig.GetOnboardingSnapshot</c>).</summary>
[BenchmarkCategory("onboarding")]
public class OnboardingSnapshotBenchmarks
{
    private const int Steps = 10;

    private SupportConfig _config = null!;
    private OnboardingState _onboarding = null!;

    [GlobalSetup]
    public void Setup()
    {
        _config = SupportConfig.Create(Fixtures.FlagNames(10).Select(name => new FeatureFlag(name)), Fixtures.DeclaredSteps(Steps));
        _onboarding = Fixtures.Onboarding(Steps, completed: 4);
        var snapshot = OnboardingSnapshot();
        if (snapshot.Steps.Length != Steps || snapshot.CurrentStepId != "step-004" || snapshot.CompletedCount != 4)
        {
            throw new InvalidOperationException("Unexpected onboarding snapshot.");
        }
    }

    [Benchmark(Description = "onboarding snapshot, 10 steps")]
    public OnboardingSnapshot OnboardingSnapshot() => _config.GetOnboardingSnapshot(_onboarding);
}
