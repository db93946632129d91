using System.Collections.Concurrent;
using Cossistant.Client.IntegrationTests.RealtimeServer;
using Microsoft.Extensions.Time.Testing;

namespace Cossistant.Client.IntegrationTests.Realtime;

/// <summary>Shared set-up of the realtime tests: clients against a <see cref="RealtimeTestServer"/>, frames, fake time.</summary>
internal static class RealtimeTestKit
{
    public const string PublicKey = "pk_test_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string PrivateKey = "sk_test_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    public const string Origin = "http://localhost:3000";
    public const string OtherVisitorId = "01M89BS86B272X41E3XTDC4PR4";
    public const string OtherWebsiteId = "01M89BBY28DNGS7RTEYF8WAPAX";
    /// <summary>Every realtime test fails after this long instead of hanging the run (e.g. on a hung dispose).</summary>
    public const int TestTimeoutMs = 30_000;


    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Public-key options with fast real-time reconnects (50 ms base) and no REST retries.</summary>
    public static CossistantClientOptions PublicOptions(RealtimeTestServer server, TimeProvider? time = null)
    {
        var options = new CossistantClientOptions
        {
            ApiUrl = server.ApiUrl,
            RealtimeUrl = server.RealtimeUrl,
            PublicKey = PublicKey,
            Origin = Origin,
            TimeProvider = time ?? TimeProvider.System,
        };
        options.Retry.MaxRetryAttempts = 0;
        options.Realtime.ReconnectBaseDelay = TimeSpan.FromMilliseconds(50);
        options.Realtime.ReconnectMaxDelay = TimeSpan.FromMilliseconds(400);
        return options;
    }

    /// <summary>Fetches the website, connects, and waits for the catch-up fetch to land and the server to register the socket.</summary>
    public static async Task ConnectAsync(CossistantClient client, RealtimeTestServer server)
    {
        await client.FetchWebsiteAsync(Ct).Within();
        await client.ConnectRealtimeAsync(Ct).Within();
        await Infrastructure.Until.StateAsync(client, snapshot => snapshot.IsSettled, "the catch-up fetch settled the state");
        await RealtimeTestServer.WaitUntilAsync(
            () => server.StateFetches >= 1 && client.Status == SupportStateStatus.Success && server.OpenSockets >= 1,
            "the first catch-up fetch applied and the server registered the socket");
    }

    /// <summary>A <c>supportStateUpdated</c> frame; <paramref name="visitorId"/> null writes <c>"visitorId":null</c>.</summary>
    public static string Event(string stateJson, string? visitorId = RealtimeTestServer.VisitorId, string websiteId = RealtimeTestServer.WebsiteId)
    {
        var visitor = visitorId is null ? "null" : "\"" + visitorId + "\"";
        return $$$"""{"type":"supportStateUpdated","payload":{"websiteId":"{{{websiteId}}}","organizationId":"{{{RealtimeTestServer.OrganizationId}}}","visitorId":{{{visitor}}},"userId":null,"state":{{{stateJson}}}}}""";
    }

    /// <summary>A state with these flags and no onboarding.</summary>
    public static string Flags(params string[] flags) =>
        """{"featureFlags":[""" + string.Join(',', flags.Select(flag => "\"" + flag + "\"")) + """],"onboarding":{"steps":{}}}""";

    /// <summary>Every flag any <see cref="CossistantClient.SupportStateChanged"/> ever added, so a later full state cannot hide it.</summary>
    public static ConcurrentQueue<string> RecordAddedFlags(CossistantClient client)
    {
        var added = new ConcurrentQueue<string>();
        client.SupportStateChanged += (_, change) =>
        {
            foreach (var flag in change.FlagsAdded)
            {
                added.Enqueue(flag);
            }
        };
        return added;
    }

    /// <summary>Every realtime state the client announced, in order.</summary>
    public static ConcurrentQueue<RealtimeConnectionStateChangedEventArgs> RecordConnectionChanges(CossistantClient client)
    {
        var changes = new ConcurrentQueue<RealtimeConnectionStateChangedEventArgs>();
        client.RealtimeConnectionStateChanged += (_, change) => changes.Enqueue(change);
        return changes;
    }

    /// <summary>Bounds a wait on the client, so a broken client fails the test instead of hanging it.</summary>
    public static Task Within(this Task task, int seconds = 10) => task.WaitAsync(TimeSpan.FromSeconds(seconds), Ct);

    /// <summary>Bounds a wait on the client, so a broken client fails the test instead of hanging it.</summary>
    public static Task<T> Within<T>(this Task<T> task, int seconds = 10) => task.WaitAsync(TimeSpan.FromSeconds(seconds), Ct);

    public static int Count(this ConcurrentQueue<string> frames, string frame) => frames.Count(received => received == frame);
}

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also records every timer created on it, so a test can wait until the
/// client armed a timer before it advances the clock (advancing first would leave that timer waiting).
/// </summary>
internal sealed class ObservedTimeProvider(FakeTimeProvider fake) : TimeProvider
{
    public ObservedTimeProvider()
        : this(new FakeTimeProvider())
    {
    }

    public FakeTimeProvider Fake => fake;

    public ConcurrentQueue<(TimeSpan DueTime, TimeSpan Period)> Timers { get; } = new();

    public override TimeZoneInfo LocalTimeZone => fake.LocalTimeZone;

    public override long TimestampFrequency => fake.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override long GetTimestamp() => fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = fake.CreateTimer(callback, state, dueTime, period);
        Timers.Enqueue((dueTime, period));
        foreach (var (match, armed) in _waiters)
        {
            if (match(dueTime, period))
            {
                armed.TrySetResult();
            }
        }

        return timer;
    }

    /// <summary>
    /// Completes once a timer matching the condition has been created on this clock (before or after the call), so a
    /// test advances the clock only after the client armed the timer it means to fire.
    /// </summary>
    public Task WhenTimerAsync(Func<TimeSpan, TimeSpan, bool> match, string what)
    {
        var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue((match, armed));
        if (Timers.Any(timer => match(timer.DueTime, timer.Period)))
        {
            armed.TrySetResult();
        }

        return Infrastructure.Until.Bound(armed.Task, what);
    }

    /// <summary>
    /// Completes once a one-shot timer with this due time has been created (within the millisecond: <c>Task.Delay</c>
    /// arms its timer with whole milliseconds).
    /// </summary>
    public Task WhenOneShotTimerAsync(TimeSpan dueTime, string what) =>
        WhenTimerAsync(
            (due, period) => period == Timeout.InfiniteTimeSpan && due <= dueTime && dueTime - due < TimeSpan.FromMilliseconds(1), what);

    private readonly ConcurrentQueue<(Func<TimeSpan, TimeSpan, bool> Match, TaskCompletionSource Armed)> _waiters = new();

    public void Advance(TimeSpan delta) => fake.Advance(delta);

    /// <summary>How many periodic timers with this period were created (the heartbeat is one per connection).</summary>
    public int PeriodicTimers(TimeSpan period) => Timers.Count(timer => timer.Period == period);

    /// <summary>How many one-shot timers with this due time were created (a reconnect delay is one).</summary>
    public int OneShotTimers(TimeSpan dueTime) => Timers.Count(timer => timer.DueTime == dueTime && timer.Period == Timeout.InfiniteTimeSpan);

    /// <summary>Advances in small steps, giving real sockets a moment between steps, until the condition holds.</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, TimeSpan step, string what, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException("Timed out advancing the fake clock until " + what);
            }

            fake.Advance(step);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
