using Cossistant.Client.Tests.State;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Cossistant.Client.State;

namespace Cossistant.Client.Tests.Reliability;

/// <summary>
/// Concurrency (issue 7 §2): reader threads checking flags and reading the snapshot while writers apply thousands of
/// server states and optimistic operations always see one consistent, normalized snapshot — no torn read, no
/// exception, no deadlock — and change notifications arrive in order.
/// </summary>
public sealed class SnapshotConcurrencyTests
{
    private const int Readers = 4;
    private const int ServerStates = 5_000;
    private const int Operations = 2_000;
    private const int Seed = 20_250_611;

    private static readonly FeatureFlag A = new("a");
    private static readonly FeatureFlag B = new("b");
    private static readonly FeatureFlag C = new("c");
    private static readonly SupportConfig Config = SupportConfig.Create(
        [A, B, C], [new OnboardingStep("one", isFirst: true), new OnboardingStep("two"), new OnboardingStep("three", isLast: true)]);

    private static readonly string[] Steps = ["one", "two", "three", "four"];

    [Fact(Timeout = 120_000)]
    public async Task ReadersDuringThousandsOfWrites_AlwaysSeeNormalizedConsistentSnapshots_NoDeadlock()
    {
        using var client = new CossistantClient(new CossistantClientOptions
        {
            PublicKey = "pk_test_" + new string('0', 64),
            Origin = "https://app.example.com",
            Support = Config,
        });
        await client.SetWebsiteContextAsync("01M89BBY28DNGS7RTEYF8WAPAT", "01M89BS86B272X41E3XTDC4PR3");
        var store = client.Session!.Store;
        var errors = new ConcurrentQueue<string>();
        var writersDone = 0;
        var reads = new long[Readers];
        var notifications = 0L;
        var lastVersion = client.SupportStateSnapshot.Version;
        client.SupportStateChanged += (_, change) =>
        {
            // Delivered one at a time, in order: each notification continues exactly where the last one ended.
            if (change.Previous.Version != lastVersion || change.Current.Version != lastVersion + 1)
            {
                errors.Enqueue($"notification out of order: {change.Previous.Version}→{change.Current.Version} after {lastVersion}");
            }

            lastVersion = change.Current.Version;
            Interlocked.Increment(ref notifications);
        };

        void Guard(string name, Action body)
        {
            try
            {
                body();
            }
            catch (Exception exception)
            {
                errors.Enqueue($"{name}: {exception}");
            }
        }

        var readers = Enumerable.Range(0, Readers).Select(index => new Thread(() => Guard($"reader {index}", () =>
        {
            var previousVersion = -1L;
            var n = 0L;
            while (Volatile.Read(ref writersDone) < 2 || n < 1_000)
            {
                // One snapshot read: its flags are normalized and the a/b pair is never torn.
                var state = client.SupportState;
                CheckNormalized(state, errors);
                if (state.IsFeatureFlagEnabled("a") != state.IsFeatureFlagEnabled("b"))
                {
                    errors.Enqueue($"torn pair in {state}");
                }

                // Versions never go back.
                var snapshot = client.SupportStateSnapshot;
                if (snapshot.Version < previousVersion || snapshot.PendingOperations < 0)
                {
                    errors.Enqueue($"snapshot went back: #{snapshot.Version} after #{previousVersion}");
                }

                previousVersion = snapshot.Version;

                // The client's own checks (typed and by name) on whatever snapshot is current.
                _ = client.IsFeatureFlagEnabled(A) | client.IsFeatureFlagEnabled(B) | client.IsFeatureFlagEnabled("c")
                    | client.IsFeatureFlagEnabled("z") | client.IsFeatureFlagEnabled(C);
                if ((n & 255) == 0)
                {
                    _ = client.GetOnboarding().CurrentStepId;
                    Thread.Yield();
                }

                n++;
            }

            reads[index] = n;
        }))
        { IsBackground = true, Name = $"reader {index}" }).ToArray();

        var stateWriter = new Thread(() => Guard("state writer", () =>
        {
            var random = new Random(Seed);
            for (var i = 0; i < ServerStates; i++)
            {
                store.TryApplyServerState(RandomState(random), store.IssueTicket());
                if (i % 1_000 == 999)
                {
                    store.SetLoading();
                    store.FailFetch(new InvalidOperationException("injected fetch failure"));
                }
            }

            Interlocked.Increment(ref writersDone);
        }))
        { IsBackground = true, Name = "state writer" };

        var operationWriter = new Thread(() => Guard("operation writer", () =>
        {
            var random = new Random(Seed + 1);
            var open = new List<SupportStateStore.PendingOperation>();
            for (var i = 0; i < Operations; i++)
            {
                open.Add(store.Send(RandomUpdate(random)));
                while (open.Count > random.Next(0, 4))
                {
                    var operation = open[random.Next(open.Count)];
                    open.Remove(operation);
                    switch (random.Next(3))
                    {
                        case 0:
                            store.Complete(operation, RandomState(random));
                            break;
                        case 1:
                            store.Fail(operation, new InvalidOperationException("injected failure"));
                            break;
                        default:
                            store.Fail(operation, null); // cancelled
                            break;
                    }
                }
            }

            foreach (var operation in open)
            {
                store.Complete(operation, RandomState(random));
            }

            Interlocked.Increment(ref writersDone);
        }))
        { IsBackground = true, Name = "operation writer" };

        var clock = Stopwatch.StartNew();
        Thread[] all = [.. readers, stateWriter, operationWriter];
        foreach (var thread in all)
        {
            thread.Start();
        }

        // Bounded joins: a deadlock fails here instead of hanging the run.
        var deadline = TimeSpan.FromSeconds(90);
        var stuck = new List<string>();
        await Task.Run(() =>
        {
            foreach (var thread in all)
            {
                var left = deadline - clock.Elapsed;
                if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                {
                    stuck.Add(thread.Name!);
                }
            }
        }, TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{ServerStates} server states and {Operations} operations applied in {clock.ElapsedMilliseconds} ms; "
            + $"{reads.Sum()} snapshot reads by {Readers} readers ({string.Join(", ", reads)}); {Interlocked.Read(ref notifications)} notifications; "
            + $"final #{client.SupportStateSnapshot.Version}");
        Assert.True(stuck.Count == 0, "Threads did not finish (deadlock?): " + string.Join(", ", stuck));
        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors.Take(20)));
        Assert.Equal(client.SupportStateSnapshot.Version, Interlocked.Read(ref notifications));
        Assert.Equal(0, client.SupportStateSnapshot.PendingOperations);
        Assert.All(reads, count => Assert.True(count >= 1_000));
    }

    private static void CheckNormalized(SupportState state, ConcurrentQueue<string> errors)
    {
        var flags = state.FeatureFlags;
        for (var i = 0; i < flags.Length; i++)
        {
            var flag = flags[i];
            if (flag.Length == 0 || flag.Contains(',', StringComparison.Ordinal) || char.IsWhiteSpace(flag[0]) || char.IsWhiteSpace(flag[^1]))
            {
                errors.Enqueue($"unnormalized flag \"{flag}\" in {state}");
            }

            if (i > 0 && string.CompareOrdinal(flags[i - 1], flag) >= 0)
            {
                errors.Enqueue($"flags not strictly sorted (or duplicated) in {state}");
            }
        }
    }

    /// <summary>A server state in which "a" is present exactly when "b" is, written in every unnormalized way.</summary>
    private static SupportState RandomState(Random random)
    {
        var flags = new List<string?>();
        if (random.Next(2) == 0)
        {
            flags.AddRange(random.Next(3) switch
            {
                0 => ["a", "b"],
                1 => [" b", "a ", "a", "b"],
                _ => ["b\t", "\u00A0a"],
            });
        }

        string[] junk = ["c", " c ", "z", "", "   ", "x,y", "a,b", "m", "Z", "é", null!];
        for (var n = random.Next(0, 6); n > 0; n--)
        {
            flags.Insert(random.Next(flags.Count + 1), junk[random.Next(junk.Length)]);
        }

        var steps = new Dictionary<string, OnboardingStepState>(StringComparer.Ordinal);
        foreach (var step in Steps)
        {
            if (random.Next(3) == 0)
            {
                steps[step] = new OnboardingStepState(random.Next(2) == 0, null);
            }
        }

        return new SupportState(flags, OnboardingState.Create(steps));
    }

    private static OnboardingUpdate RandomUpdate(Random random)
    {
        var step = Steps[random.Next(Steps.Length)];
        return random.Next(5) switch
        {
            0 => OnboardingUpdate.Complete(step),
            1 => OnboardingUpdate.Uncomplete(step),
            2 => OnboardingUpdate.SetMetadata(step, JsonDocument.Parse($$"""{"n":{{random.Next(100)}}}""").RootElement),
            3 => OnboardingUpdate.SetMetadata(step, null),
            _ => OnboardingUpdate.Reset(),
        };
    }
}
