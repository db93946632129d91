using System.Collections.Concurrent;
using System.Diagnostics;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Reliability.ReliabilityKit;

namespace Cossistant.Client.IntegrationTests.Reliability;

/// <summary>
/// Concurrency (issue 7 §2): every async API blocked on with <c>.GetAwaiter().GetResult()</c> from the one thread of
/// a single-threaded <see cref="SynchronizationContext"/> (a WinForms/WPF/classic ASP.NET style UI thread) completes
/// instead of deadlocking: the library never needs the caller's context to finish.
/// </summary>
[Collection(SerialReliability.Name)]
public sealed class SyncOverAsyncTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 30_000)]
    public async Task Harness_NaiveAwaitOnTheContextThread_WouldDeadlock()
    {
        // Proves the harness is not vacuous: an await that captures the context cannot finish while its thread blocks.
        using var context = new SingleThreadSynchronizationContext();
        var completedInTime = await context.RunAsync(() => NaiveAsync().Wait(TimeSpan.FromMilliseconds(500)));
        Assert.False(completedInTime);

        static async Task NaiveAsync() => await Task.Delay(10);
    }

    [Fact(Timeout = 120_000)]
    public async Task EveryAsyncApi_BlockedOnFromSingleThreadedContext_DoesNotDeadlock()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        using var context = new SingleThreadSynchronizationContext();
        var timings = new List<string>();
        var options = VisitorOptions(emulator);
        options.Retry.MaxRetryAttempts = 2;
        var visitor = await context.RunAsync(() => new CossistantClient(options));
        var server = await context.RunAsync(() => new CossistantClient(ServerOptions(emulator)));
        var api = await context.RunAsync(() => new CossistantServerClient(ServerOptions(emulator)));
        var changedOn = new ConcurrentBag<int>();
        var observed = 0;

        async Task Step(string name, Action action)
        {
            var clock = Stopwatch.StartNew();
            var run = context.RunAsync(() =>
            {
                Assert.Same(context, SynchronizationContext.Current);
                action();
                return true;
            });
            await WithinAsync(run, Bound, $"{name} blocked on from a single-threaded SynchronizationContext (a deadlock)");
            timings.Add($"{name} {clock.ElapsedMilliseconds} ms");
        }

        try
        {
            await Step("FetchWebsiteAsync", () => visitor.FetchWebsiteAsync(Ct).GetAwaiter().GetResult());
            await Step("subscribe (event and observable)", () =>
            {
                visitor.SupportStateChanged += (_, _) => changedOn.Add(Environment.CurrentManagedThreadId);
                visitor.SupportStateChanges.Subscribe(new CountingObserver(() => Interlocked.Increment(ref observed)));
            });
            await Step("FetchSupportStateAsync", () => visitor.FetchSupportStateAsync(force: true, Ct).GetAwaiter().GetResult());
            await Step("CompleteOnboardingStepAsync", () => visitor.CompleteOnboardingStepAsync(ReliabilitySupport.Project, Ct).GetAwaiter().GetResult());
            await Step("SetOnboardingMetadataAsync", () => visitor.SetOnboardingMetadataAsync(ReliabilitySupport.Project, new ProjectMetadata("Acme", 2), Ct).GetAwaiter().GetResult());
            await Step("UncompleteOnboardingStepAsync", () => visitor.UncompleteOnboardingStepAsync("invite", Ct).GetAwaiter().GetResult());
            await Step("ResetOnboardingAsync", () => visitor.ResetOnboardingAsync(Ct).GetAwaiter().GetResult());
            await Step("UpdateOnboardingAsync after two 503s (retry delays)", () =>
            {
                emulator.Faults.FailNextRequests(2, 503);
                visitor.UpdateOnboardingAsync(OnboardingUpdate.Complete("done"), Ct).GetAwaiter().GetResult();
            });
            await Step("CompleteOnboardingStepAsync failing (the exception is rethrown)", () =>
            {
                emulator.Faults.FailNextRequests(3, 503);
                Assert.Throws<CossistantApiException>(() => visitor.CompleteOnboardingStepAsync("invite", Ct).GetAwaiter().GetResult());
            });
            await Step("IdentifyAsync", () => visitor.IdentifyAsync(new IdentifyRequest { ExternalId = "sync-user" }, Ct).GetAwaiter().GetResult());
            await Step("ConnectRealtimeAsync", () => visitor.ConnectRealtimeAsync(Ct).GetAwaiter().GetResult());
            await Step("MutateSupportFeatureFlagsAsync", () => server.MutateSupportFeatureFlagsAsync(
                FeatureFlagTarget.Visitor(visitor.VisitorId!), FeatureFlagOperation.Add, [ReliabilitySupport.Beta], Ct).GetAwaiter().GetResult());
            await EventuallyAsync(() => visitor.IsFeatureFlagEnabled(ReliabilitySupport.Beta), "the flag event");
            await Step("GetVisitorSupportStateAsync (server client)", () => api.GetVisitorSupportStateAsync(visitor.VisitorId!, Ct).GetAwaiter().GetResult());
            await Step("GetCachedVisitorSupportStateAsync (server client)", () => api.GetCachedVisitorSupportStateAsync(visitor.VisitorId!, Ct).AsTask().GetAwaiter().GetResult());
            await Step("SetWebsiteContextAsync (private key)", () => server.SetWebsiteContextAsync(visitor.WebsiteId!, visitor.VisitorId).GetAwaiter().GetResult());
            await Step("ConnectRealtimeAsync (private key)", () => server.ConnectRealtimeAsync(Ct).GetAwaiter().GetResult());
            await Step("ReconnectRealtimeAsync", () => visitor.ReconnectRealtimeAsync(Ct).GetAwaiter().GetResult());
            await Step("DisconnectRealtimeAsync", () => visitor.DisconnectRealtimeAsync().GetAwaiter().GetResult());
            await Step("ConnectRealtimeAsync again", () => visitor.ConnectRealtimeAsync(Ct).GetAwaiter().GetResult());
            await Step("WatchSupportStateAsync (first snapshot)", () =>
            {
                var watch = visitor.WatchSupportStateAsync(Ct).GetAsyncEnumerator(Ct);
                Assert.True(watch.MoveNextAsync().AsTask().GetAwaiter().GetResult());
                watch.DisposeAsync().AsTask().GetAwaiter().GetResult();
            });
            await Step("DisposeAsync (connected)", () => visitor.DisposeAsync().AsTask().GetAwaiter().GetResult());
            await Step("Dispose (connected, private key)", server.Dispose);
        }
        finally
        {
            await visitor.DisposeAsync();
            await server.DisposeAsync();
        }

        Out("blocking calls on a single-threaded context: " + string.Join("; ", timings));
        Assert.True(Volatile.Read(ref observed) > 0);
        Assert.NotEmpty(changedOn);
    }

    private sealed class CountingObserver(Action onNext) : IObserver<SupportStateSnapshot>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(SupportStateSnapshot value) => onNext();
    }
}

/// <summary>
/// A UI-thread-like <see cref="SynchronizationContext"/>: one dedicated thread runs every posted callback in order.
/// Blocking that thread on a task whose continuation was posted here deadlocks, as on a real UI thread.
/// </summary>
internal sealed class SingleThreadSynchronizationContext : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];
    private readonly Thread _thread;

    public SingleThreadSynchronizationContext()
    {
        _thread = new Thread(Pump) { IsBackground = true, Name = "single-threaded context" };
        _thread.Start();
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _queue.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // Closed: late continuations are dropped, as a closed window's would be.
        }
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (Environment.CurrentManagedThreadId == _thread.ManagedThreadId)
        {
            d(state);
            return;
        }

        using var done = new ManualResetEventSlim();
        Post(_ => { d(state); done.Set(); }, null);
        done.Wait();
    }

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="function"/> on the context's thread; the task completes off that thread.</summary>
    public Task<T> RunAsync<T>(Func<T> function)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(_ =>
        {
            try
            {
                result.SetResult(function());
            }
            catch (Exception exception)
            {
                result.SetException(exception);
            }
        }, null);
        return result.Task;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        if (_thread.Join(TimeSpan.FromSeconds(5)))
        {
            _queue.Dispose();
        }

        // Otherwise the thread is stuck (a deadlock the test reported): it is a background thread, left behind.
    }

    private void Pump()
    {
        SetSynchronizationContext(this);
        foreach (var (callback, state) in _queue.GetConsumingEnumerable())
        {
            callback(state);
        }
    }
}
