using System.Collections.Concurrent;
using System.Text.Json;
using Cossistant.Client.State;

namespace Cossistant.Client.Tests.State;

/// <summary>
/// The store without lost updates (client.md §5.1): a server base plus pending optimistic operations, with
/// tickets deciding which server state is newer, and change notifications delivered in order.
/// </summary>
public sealed class SupportStateStoreTests
{
    private readonly List<SupportStateChangedEventArgs> _changes = [];

    private SupportStateStore NewStore() => StoreTestExtensions.Create(_changes.Add);

    [Fact]
    public void Snapshot_NewStore_IsEmptyIdleVersionZero()
    {
        var store = NewStore();

        Assert.Equal(SupportState.Empty, store.Snapshot.State);
        Assert.Equal(SupportStateStatus.Idle, store.Snapshot.Status);
        Assert.Null(store.Snapshot.Error);
        Assert.Equal(0, store.Snapshot.PendingOperations);
        Assert.Equal(0, store.Snapshot.Version);
        Assert.False(store.HasServerState);
        Assert.Empty(_changes);
    }

    [Fact]
    public void Begin_TwoUpdatesOnSameStep_LaterWins()
    {
        var store = NewStore();
        var server = State(["beta"], ("workspace", false, """{"name":"server"}"""));
        Assert.True(store.TryApplyServerState(server, store.IssueTicket()));

        store.Send(OnboardingUpdate.SetMetadata("workspace", Json("""{"name":"first"}""")));
        store.Send(OnboardingUpdate.SetMetadata("workspace", Json("""{"name":"second"}""")));

        var snapshot = store.Snapshot;
        Assert.Equal(2, snapshot.PendingOperations);
        Assert.Equal(["beta"], snapshot.State.FeatureFlags);
        Assert.Equal("second", MetadataName(snapshot.State, "workspace"));

        // The opposite order gives the opposite answer: order matters, not which value is "bigger".
        var reversed = NewStore();
        reversed.TryApplyServerState(server, reversed.IssueTicket());
        reversed.Send(OnboardingUpdate.SetMetadata("workspace", Json("""{"name":"second"}""")));
        reversed.Send(OnboardingUpdate.SetMetadata("workspace", Json("""{"name":"first"}""")));
        Assert.Equal("first", MetadataName(reversed.Snapshot.State, "workspace"));
    }

    [Fact]
    public void Begin_CompleteThenUncompleteSameStep_LaterWins()
    {
        var store = NewStore();

        store.Send(OnboardingUpdate.Complete("workspace"));
        store.Send(OnboardingUpdate.Uncomplete("workspace"));

        Assert.True(store.Snapshot.State.Onboarding.TryGetStep("workspace", out var step));
        Assert.False(step.Completed);
    }

    [Fact]
    public void Begin_UpdatesOnDifferentSteps_BothAppliedOnTopOfBase()
    {
        var store = NewStore();
        var server = State(["beta"], ("done", true, null));
        store.TryApplyServerState(server, store.IssueTicket());

        store.Send(OnboardingUpdate.Complete("workspace"));
        store.Send(OnboardingUpdate.SetMetadata("invite-team", Json("""{"name":"invites"}""")));

        var expected = server
            .Apply(OnboardingUpdate.Complete("workspace"))
            .Apply(OnboardingUpdate.SetMetadata("invite-team", Json("""{"name":"invites"}""")));
        Assert.Equal(expected, store.Snapshot.State);
        Assert.True(Step(store.Snapshot.State, "workspace").Completed);
        Assert.True(Step(store.Snapshot.State, "done").Completed);
        Assert.Equal("invites", MetadataName(store.Snapshot.State, "invite-team"));
        Assert.Equal(SupportStateStatus.Success, store.Snapshot.Status);
    }

    [Fact]
    public void Complete_AnswerNewerThanBase_ReplacesBaseAndRemovesOperation()
    {
        var store = NewStore();
        store.TryApplyServerState(State(["old"]), store.IssueTicket());
        var operation = store.Send(OnboardingUpdate.Complete("workspace"));

        // The server's answer differs from the optimistic view (another flag, and metadata it added).
        var answer = State(["new"], ("workspace", true, """{"name":"server"}"""));
        store.Complete(operation, answer);

        Assert.Equal(answer, store.Snapshot.State);
        Assert.Equal(0, store.Snapshot.PendingOperations);
        Assert.Equal(SupportStateStatus.Success, store.Snapshot.Status);
        Assert.True(store.HasServerState);

        // The answer is now the base: a later operation is applied on top of it.
        store.Send(OnboardingUpdate.Complete("done"));
        Assert.Equal(answer.Apply(OnboardingUpdate.Complete("done")), store.Snapshot.State);
    }

    [Fact]
    public void Fail_OneOfTwoOperations_RemovesOnlyItselfAndKeepsBase()
    {
        var store = NewStore();
        var server = State(["beta"], ("done", true, null));
        store.TryApplyServerState(server, store.IssueTicket());
        var failing = store.Send(OnboardingUpdate.Complete("workspace"));
        var other = store.Send(OnboardingUpdate.Complete("invite-team"));
        var error = new InvalidOperationException("boom");

        store.Fail(failing, error);

        var snapshot = store.Snapshot;
        Assert.Equal(server.Apply(other.Update), snapshot.State);
        Assert.False(snapshot.State.Onboarding.TryGetStep("workspace", out _));
        Assert.True(Step(snapshot.State, "invite-team").Completed);
        Assert.Equal(1, snapshot.PendingOperations);
        Assert.Equal(SupportStateStatus.Error, snapshot.Status);
        Assert.Same(error, snapshot.Error);

        // The other operation still completes normally on top of the untouched base.
        var answer = server.Apply(other.Update);
        store.Complete(other, answer);
        Assert.Equal(answer, store.Snapshot.State);
        Assert.Equal(0, store.Snapshot.PendingOperations);
        Assert.Equal(SupportStateStatus.Success, store.Snapshot.Status);
        Assert.Null(store.Snapshot.Error);
    }

    [Fact]
    public void Fail_EventArrivedDuringFailingRequest_EventSurvivesRollback()
    {
        var store = NewStore();
        var before = State(["beta"]);
        store.TryApplyServerState(before, store.IssueTicket());
        var operation = store.Send(OnboardingUpdate.Complete("workspace"));

        var eventState = State(["beta", "from-event"], ("invite-team", true, null));
        store.ApplyEvent(eventState);
        store.Fail(operation, new InvalidOperationException("request failed"));

        Assert.Equal(eventState, store.Snapshot.State);
        Assert.NotEqual(before, store.Snapshot.State);
        Assert.Equal(0, store.Snapshot.PendingOperations);
        Assert.Equal(SupportStateStatus.Error, store.Snapshot.Status);
    }

    [Fact]
    public void TryApplyServerState_FetchSentBeforeEvent_DoesNotReplaceEventState()
    {
        var store = NewStore();
        var fetchTicket = store.IssueTicket(); // the fetch is sent
        var eventState = State(["from-event"]);
        store.ApplyEvent(eventState); // an event arrives

        var applied = store.TryApplyServerState(State(["from-fetch"]), fetchTicket); // the fetch answers

        Assert.False(applied);
        Assert.Equal(eventState, store.Snapshot.State);
    }

    [Fact]
    public void TryApplyServerState_TwoFetchesAnsweredInReverseOrder_LaterSentWins()
    {
        var store = NewStore();
        var first = store.IssueTicket();
        var second = store.IssueTicket();
        var secondState = State(["second"]);

        Assert.True(store.TryApplyServerState(secondState, second));
        Assert.False(store.TryApplyServerState(State(["first"]), first));

        Assert.Equal(secondState, store.Snapshot.State);
    }

    [Fact]
    public void TryApplyServerState_FetchesAnsweredInOrder_EachReplacesBase()
    {
        var store = NewStore();
        var first = store.IssueTicket();
        var second = store.IssueTicket();
        var secondState = State(["second"]);

        Assert.True(store.TryApplyServerState(State(["first"]), first));
        Assert.True(store.TryApplyServerState(secondState, second));

        Assert.Equal(secondState, store.Snapshot.State);
    }

    [Fact]
    public void Complete_BaseNewerThanOperation_OperationStaysConfirmedUntilNewerBase()
    {
        var store = NewStore();
        store.TryApplyServerState(State(["beta"]), store.IssueTicket());
        var operation = store.Send(OnboardingUpdate.Complete("workspace"));

        // An event computed before the server applied the operation replaces the base meanwhile.
        var eventState = State(["beta", "from-event"]);
        store.ApplyEvent(eventState);
        // A fetch is sent after the event but before the operation's answer arrives.
        var fetchSentBeforeConfirmation = store.IssueTicket();

        store.Complete(operation, State(["beta"], ("workspace", true, null)));

        // The answer is older than the event, so it does not replace the base; the operation stays applied.
        Assert.Equal(eventState.Apply(operation.Update), store.Snapshot.State);
        Assert.Equal(0, store.Snapshot.PendingOperations); // confirmed: no longer waiting for the server
        Assert.False(store.Snapshot.IsSettled); // ...but whether the event came before or after it is unknown
        Assert.Equal(SupportStateStatus.Success, store.Snapshot.Status);

        // A base taken before the confirmation may predate the operation: the operation stays on top of it.
        var olderBase = State(["fetched"]);
        Assert.True(store.TryApplyServerState(olderBase, fetchSentBeforeConfirmation));
        Assert.Equal(olderBase.Apply(operation.Update), store.Snapshot.State);

        // A base taken after the confirmation includes it: the operation is dropped.
        var newerBase = State(["newest"]);
        Assert.True(store.TryApplyServerState(newerBase, store.IssueTicket()));
        Assert.Equal(newerBase, store.Snapshot.State);
        Assert.False(store.Snapshot.State.Onboarding.TryGetStep("workspace", out _));
        Assert.Equal(0, store.Snapshot.PendingOperations);
        Assert.True(store.Snapshot.IsSettled);
    }

    [Fact]
    public void Complete_NothingArrivedSinceSent_AnswerBecomesBaseAndSettled()
    {
        var store = NewStore();
        store.TryApplyServerState(State([]), store.IssueTicket());
        var operation = store.Send(OnboardingUpdate.Complete("workspace"));
        Assert.False(store.Snapshot.IsSettled); // in flight

        var answer = State(["beta"], ("workspace", true, null));
        store.Complete(operation, answer);

        Assert.Equal(answer, store.Snapshot.State);
        Assert.True(store.Snapshot.IsSettled);
        Assert.False(store.NeedsSettle);
    }

    [Fact]
    public void Complete_EventArrivedSinceSentWithTheSameState_DoneAndSettled()
    {
        var store = NewStore();
        store.TryApplyServerState(State([]), store.IssueTicket());
        var operation = store.Send(OnboardingUpdate.Complete("workspace"));
        var echo = State([], ("workspace", true, null));
        store.ApplyEvent(echo); // the server publishes the write before it answers

        store.Complete(operation, echo);

        Assert.Equal(echo, store.Snapshot.State);
        Assert.Equal(0, store.Snapshot.PendingOperations);
        Assert.True(store.Snapshot.IsSettled);
    }

    [Fact]
    public void Complete_EventArrivedSinceSentAndDiffers_BestGuessKeptUntilAFetchSentAfterwardsAnswers()
    {
        var store = NewStore();
        store.TryApplyServerState(State([]), store.IssueTicket());
        var operation = store.Send(OnboardingUpdate.Complete("workspace"));
        var otherTab = State([], ("workspace", false, null));
        store.ApplyEvent(otherTab); // another tab's change: before or after this write? The protocol cannot say.

        store.Complete(operation, State([], ("workspace", true, null)));

        Assert.True(Step(store.Snapshot.State, "workspace").Completed); // the best guess: the write on top
        Assert.False(store.Snapshot.IsSettled);
        Assert.True(store.NeedsSettle);

        // An event does not settle it; an answer to a request sent from now on does.
        store.ApplyEvent(otherTab);
        Assert.True(store.NeedsSettle);
        var truth = State([], ("workspace", false, null));
        Assert.True(store.TryApplyServerState(truth, store.IssueTicket()));
        Assert.Equal(truth, store.Snapshot.State);
        Assert.True(store.Snapshot.IsSettled);
    }

    [Fact]
    public void TryApplyServerState_OlderThanAnEventAndDifferent_KeepsTheEventAndAsksAgain()
    {
        var store = NewStore();
        var fetch = store.IssueTicket();
        var eventState = State(["from-event"]);
        store.ApplyEvent(eventState);

        Assert.False(store.TryApplyServerState(State(["from-fetch"]), fetch));

        Assert.Equal(eventState, store.Snapshot.State);
        Assert.True(store.NeedsSettle);
        Assert.False(store.Snapshot.IsSettled);
    }

    [Fact]
    public void TryApplyServerState_OlderThanAnEventButEqual_Settled()
    {
        var store = NewStore();
        var fetch = store.IssueTicket();
        var eventState = State(["same"]);
        store.ApplyEvent(eventState);

        Assert.False(store.TryApplyServerState(State(["same"]), fetch));

        Assert.False(store.NeedsSettle);
        Assert.True(store.Snapshot.IsSettled);
    }

    [Fact]
    public void Fail_OutcomeUnknown_RolledBackAndUnsettledUntilAnAnswerSentAfterTheFailure()
    {
        var store = NewStore();
        store.TryApplyServerState(State([]), store.IssueTicket());
        var operation = store.Send(OnboardingUpdate.Complete("workspace"));
        var fetchSentBeforeTheFailure = store.IssueTicket();

        store.Fail(operation, new InvalidOperationException("504"), store.IssueTicket());

        Assert.False(store.Snapshot.State.Onboarding.TryGetStep("workspace", out _)); // rolled back: the best guess
        Assert.Equal(SupportStateStatus.Error, store.Snapshot.Status);
        Assert.False(store.Snapshot.IsSettled);
        Assert.True(store.TryApplyServerState(State([]), fetchSentBeforeTheFailure));
        Assert.True(store.NeedsSettle); // that answer may predate the write

        var applied = State([], ("workspace", true, null));
        Assert.True(store.TryApplyServerState(applied, store.IssueTicket()));
        Assert.Equal(applied, store.Snapshot.State); // the write had been applied after all
        Assert.True(store.Snapshot.IsSettled);
        Assert.Equal(SupportStateStatus.Success, store.Snapshot.Status);
    }

    [Fact]
    public void Fail_Refused_RolledBackAndSettled()
    {
        var store = NewStore();
        store.TryApplyServerState(State([]), store.IssueTicket());
        var operation = store.Send(OnboardingUpdate.Complete("workspace"));

        store.Fail(operation, new InvalidOperationException("400"));

        Assert.False(store.Snapshot.State.Onboarding.TryGetStep("workspace", out _));
        Assert.True(store.Snapshot.IsSettled);
        Assert.False(store.NeedsSettle);
    }

    [Fact]
    public void Unsettle_AfterReconnect_SettledByTheNextFetchOnly()
    {
        var store = NewStore();
        var before = store.IssueTicket();
        store.Unsettle();

        store.TryApplyServerState(State(["a"]), before);
        Assert.True(store.NeedsSettle);
        store.TryApplyServerState(State(["b"]), store.IssueTicket());
        Assert.False(store.NeedsSettle);
    }

    [Fact]
    public void Complete_EarlierOperationAnsweredAfterLaterOne_StaysAppliedOnTopOfLaterAnswer()
    {
        var store = NewStore();
        store.TryApplyServerState(State([]), store.IssueTicket());
        var first = store.Send(OnboardingUpdate.Complete("workspace"));
        var second = store.Send(OnboardingUpdate.Complete("invite-team"));

        // The server handled the second before the first: its answer does not contain the first.
        var secondAnswer = State([], ("invite-team", true, null));
        store.Complete(second, secondAnswer);
        Assert.Equal(secondAnswer.Apply(first.Update), store.Snapshot.State);

        store.Complete(first, State([], ("invite-team", true, null), ("workspace", true, null)));

        Assert.True(Step(store.Snapshot.State, "workspace").Completed);
        Assert.True(Step(store.Snapshot.State, "invite-team").Completed);
    }

    [Fact]
    public void FailFetch_WithPendingOperation_KeepsStateAndRecordsError()
    {
        var store = NewStore();
        var server = State(["beta"]);
        store.TryApplyServerState(server, store.IssueTicket());
        var operation = store.Send(OnboardingUpdate.Complete("workspace"));
        var error = new InvalidOperationException("fetch failed");

        store.FailFetch(error);

        Assert.Equal(server.Apply(operation.Update), store.Snapshot.State);
        Assert.Equal(1, store.Snapshot.PendingOperations);
        Assert.Equal(SupportStateStatus.Error, store.Snapshot.Status);
        Assert.Same(error, store.Snapshot.Error);
    }

    [Fact]
    public void Notifications_EveryPublish_ExactlyOneInOrderWithChainedSnapshots()
    {
        var store = NewStore();

        store.SetLoading();
        store.TryApplyServerState(State(["beta"]), store.IssueTicket());
        var operation = store.Send(OnboardingUpdate.Complete("workspace"));
        store.Complete(operation, State(["beta"], ("workspace", true, null)));
        store.FailFetch(new InvalidOperationException("x"));
        store.SetLoading();

        Assert.Equal(6, _changes.Count);
        Assert.Equal([1L, 2, 3, 4, 5, 6], _changes.Select(change => change.Current.Version));
        Assert.Equal(
            [SupportStateStatus.Loading, SupportStateStatus.Success, SupportStateStatus.Success,
             SupportStateStatus.Success, SupportStateStatus.Error, SupportStateStatus.Loading],
            _changes.Select(change => change.Current.Status));
        for (var i = 1; i < _changes.Count; i++)
        {
            Assert.Same(_changes[i - 1].Current, _changes[i].Previous);
        }

        Assert.Same(store.Snapshot, _changes[^1].Current);
    }

    [Fact]
    public void Notifications_FlagsChange_AddedAndRemovedSorted()
    {
        var store = NewStore();
        store.TryApplyServerState(State(["delta", "bravo", "zulu"]), store.IssueTicket());

        store.TryApplyServerState(State(["zulu", "echo", "alpha", "charlie"]), store.IssueTicket());

        var first = _changes[0];
        Assert.Equal(["bravo", "delta", "zulu"], first.FlagsAdded);
        Assert.Empty(first.FlagsRemoved);
        var change = _changes[1];
        Assert.Equal(["alpha", "charlie", "echo"], change.FlagsAdded);
        Assert.Equal(["bravo", "delta"], change.FlagsRemoved);
        Assert.True(change.FlagsChanged);
        Assert.Empty(change.StepsChanged);
    }

    [Fact]
    public void Notifications_StepChange_ListsOnlyChangedSteps()
    {
        var store = NewStore();
        store.TryApplyServerState(State(["beta"], ("workspace", true, null), ("done", false, null)), store.IssueTicket());

        store.Send(OnboardingUpdate.Complete("invite-team"));
        store.Send(OnboardingUpdate.SetMetadata("workspace", Json("""{"name":"acme"}""")));
        store.TryApplyServerState(State(["beta"], ("workspace", true, null)), store.IssueTicket());

        Assert.Equal(["invite-team"], _changes[1].StepsChanged);
        Assert.Empty(_changes[1].FlagsAdded);
        Assert.Empty(_changes[1].FlagsRemoved);
        Assert.False(_changes[1].FlagsChanged);
        Assert.Equal(["workspace"], _changes[2].StepsChanged);

        // The new base drops "done" and the pending operations stay applied on top of it.
        Assert.Equal(["done"], _changes[3].StepsChanged);
    }

    [Fact]
    public void Notifications_StatusOnly_NoFlagOrStepChange()
    {
        var store = NewStore();
        store.TryApplyServerState(State(["beta"], ("workspace", true, null)), store.IssueTicket());

        store.SetLoading();

        var change = _changes[^1];
        Assert.True(change.StatusChanged);
        Assert.False(change.FlagsChanged);
        Assert.Empty(change.StepsChanged);
        Assert.Same(change.Previous.State, change.Current.State);
    }

    [Fact]
    public void Notifications_HandlerChangesStore_NextChangeDeliveredAfterCurrentNotNested()
    {
        var log = new List<string>();
        SupportStateStore? store = null;
        store = StoreTestExtensions.Create(change =>
        {
            log.Add($"start {change.Current.Version}");
            if (change.Current.Version == 1)
            {
                store!.Send(OnboardingUpdate.Complete("workspace"));
                log.Add("begin returned");
            }

            log.Add($"end {change.Current.Version}");
        });

        store.SetLoading();

        Assert.Equal(["start 1", "begin returned", "end 1", "start 2", "end 2"], log);
        Assert.Equal(2, store.Snapshot.Version);
        Assert.Equal(1, store.Snapshot.PendingOperations);
    }

    [Fact]
    public void Subscribe_FromAHandler_FirstValueIsTheSnapshotAfterTheChangeBeingAnnounced()
    {
        var log = new List<string>();
        SupportStateStore? store = null;
        store = StoreTestExtensions.Create(change =>
        {
            log.Add($"change {change.Current.Version}");
            if (change.Current.Version == 1)
            {
                store!.Feed.Subscribe(new Recorder(log));
                store.Send(OnboardingUpdate.Complete("workspace"));
            }
        });

        store.SetLoading();
        store.Feed.Complete();

        Assert.Equal(["change 1", "observer 1", "change 2", "observer 2", "observer completed"], log);
    }

    [Fact]
    public void Subscribe_AfterCompletion_CompletesAtOnceWithoutAValue()
    {
        var log = new List<string>();
        var store = NewStore();
        store.Feed.Complete();

        store.Feed.Subscribe(new Recorder(log));
        store.SetLoading();

        Assert.Equal(["observer completed"], log);
    }

    [Fact]
    public void Subscribe_DisposedBeforeItsTurn_GetsNothing()
    {
        var log = new List<string>();
        SupportStateStore? store = null;
        IDisposable? subscription = null;
        store = StoreTestExtensions.Create(change =>
        {
            if (change.Current.Version == 1)
            {
                subscription = store!.Feed.Subscribe(new Recorder(log)); // queued behind this change
                subscription.Dispose();
            }
        });

        store.SetLoading();
        store.Send(OnboardingUpdate.Complete("workspace"));
        store.Feed.Complete();

        Assert.Empty(log);
    }

    [Fact]
    public async Task Store_ConcurrentBeginCompleteWithReader_ConsistentOrderedNotifications()
    {
        const int Writers = 8;
        const int PairsPerWriter = 500;
        string[] flagPool = ["alpha", "beta", "gamma", "delta", "epsilon"];
        string[] stepPool = ["workspace", "invite-team", "done"];
        var notifications = new ConcurrentQueue<SupportStateChangedEventArgs>();
        var inHandler = 0;
        var overlapping = 0;
        var store = StoreTestExtensions.Create(change =>
        {
            if (Interlocked.Increment(ref inHandler) != 1)
            {
                Interlocked.Increment(ref overlapping);
            }

            notifications.Enqueue(change);
            Interlocked.Decrement(ref inHandler);
        });

        using var stop = new CancellationTokenSource();
        Exception? readerError = null;
        long readerIterations = 0;
        var readerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Factory.StartNew(
            Read, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await readerStarted.Task; // the reader runs while the writers write

        var writers = Enumerable.Range(0, Writers).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            for (var i = 0; i < PairsPerWriter; i++)
            {
                var operation = store.Send(OnboardingUpdate.Complete(stepPool[random.Next(stepPool.Length)]));
                var flags = flagPool.Where(_ => random.Next(2) == 0).ToArray();
                store.Complete(operation, new SupportState(flags));
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await reader;

        Assert.Null(readerError);
        Assert.True(readerIterations > 0);
        Assert.Equal(0, overlapping);

        var delivered = notifications.ToArray();
        Assert.Equal(Writers * PairsPerWriter * 2, delivered.Length);
        for (var i = 0; i < delivered.Length; i++)
        {
            Assert.Equal(i + 1, delivered[i].Current.Version);
            if (i > 0)
            {
                Assert.Same(delivered[i - 1].Current, delivered[i].Previous);
            }
        }

        Assert.Same(store.Snapshot, delivered[^1].Current);

        // Operations confirmed after a newer base stay applied until the next newer base; one more fetch clears them.
        var final = State(["final"]);
        Assert.True(store.TryApplyServerState(final, store.IssueTicket()));
        Assert.Equal(0, store.Snapshot.PendingOperations);
        Assert.Equal(final, store.Snapshot.State);

        void Read()
        {
            try
            {
                long lastVersion = -1;
                while (!stop.IsCancellationRequested)
                {
                    var snapshot = store.Snapshot;
                    if (snapshot.Version < lastVersion)
                    {
                        throw new InvalidOperationException($"Version went back from {lastVersion} to {snapshot.Version}.");
                    }

                    lastVersion = snapshot.Version;
                    _ = snapshot.State.IsFeatureFlagEnabled("alpha");
                    foreach (var (_, step) in snapshot.State.Onboarding.Steps)
                    {
                        _ = step.Completed;
                    }

                    readerIterations++;
                    readerStarted.TrySetResult();
                }
            }
            catch (Exception exception)
            {
                readerError = exception;
                readerStarted.TrySetResult();
            }
        }
    }

    private static SupportState State(string[] flags, params (string Id, bool Completed, string? Metadata)[] steps) =>
        new(flags, OnboardingState.Create(steps.Select(step => new KeyValuePair<string, OnboardingStepState>(
            step.Id, new OnboardingStepState(step.Completed, step.Metadata is null ? null : Json(step.Metadata))))));

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static OnboardingStepState Step(SupportState state, string id)
    {
        Assert.True(state.Onboarding.TryGetStep(id, out var step), $"step {id} missing in {state}");
        return step;
    }

    private static string? MetadataName(SupportState state, string id) =>
        Step(state, id).Metadata?.GetProperty("name").GetString();

    private sealed class Recorder(List<string> log) : IObserver<SupportStateSnapshot>
    {
        public void OnCompleted() => log.Add("observer completed");

        public void OnError(Exception error) => log.Add("observer error");

        public void OnNext(SupportStateSnapshot value) => log.Add($"observer {value.Version}");
    }
}
