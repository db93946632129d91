using System.Collections.Concurrent;
using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.IntegrationTests.Realtime;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Sessions;

/// <summary>Sessions from one factory: one visitor each for their whole life, fresh without sockets, gone when disposed.</summary>
public sealed class SessionFactoryTests
{
    [Fact(Timeout = 120_000)]
    public async Task ThousandSessions_EachShowsItsVisitor_OrganizationChangeReachesItsVisitorsAtOnce_DisposeLeavesNothing()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var ids = await ServerClientTests.SeedAsync(emulator, 1_000);
        var organization = emulator.CreateContactOrganization("Acme Corp");
        await using var factory = new CossistantSessionFactory(emulator.CreateClientOptions(privateKey: true));
        var server = factory.ServerClient;

        // Fifty visitors become contacts of the organization (through this process, so it knows the links).
        var members = ids.Take(50).ToArray();
        await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (id, token) =>
            await server.IdentifyVisitorAsync(id, new IdentifyRequest { ExternalId = "user-" + id, ContactOrganizationId = organization.Id }, token));

        var sessions = ids.Select(id => factory.CreateSession(id)).ToArray();
        await Task.WhenAll(sessions.Select(session => session.FetchSupportStateAsync(cancellationToken: Ct)));
        for (var i = 0; i < sessions.Length; i++)
        {
            Assert.Equal(ids[i], sessions[i].VisitorId);
            Assert.Equal(emulator.GetSupportState(ids[i]), sessions[i].SupportState);
            Assert.True(sessions[i].IsFeatureFlagEnabled($"v-{i}"));
            Assert.Equal(RealtimeConnectionStatus.Disconnected, sessions[i].RealtimeConnectionState.Status);
        }

        Assert.Equal(0, emulator.OpenSockets); // no socket per session by default

        // A flag on the organization: its fifty visitors' sessions change without being asked; nobody else does.
        var reached = members.Select((_, i) => Until.SessionAsync(sessions[i], s => s.State.IsFeatureFlagEnabled("org-flag"), $"session {i} sees the organization's flag")).ToArray();
        var changes = new ConcurrentQueue<string>();
        foreach (var session in sessions.Skip(members.Length))
        {
            session.SupportStateChanged += (_, change) => changes.Enqueue(session.VisitorId);
        }

        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.ContactOrganization(organization.Id), FeatureFlagOperation.Add, ["org-flag"], Ct);
        await Task.WhenAll(reached);
        Assert.Empty(changes);

        await Task.WhenAll(sessions.Select(session => session.DisposeAsync().AsTask()));
        Assert.All(sessions, session => Assert.True(session.IsDisposed));
        Assert.False(factory.Runtime.Cache.TryGet(ids[0], out var entry) && entry.HasListeners);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sessions[0].FetchSupportStateAsync(force: true, Ct));
    }

    [Fact(Timeout = 30_000)]
    public async Task SessionWithoutSocket_ChangeFromElsewhere_RefreshedOnceTheTimeToLiveRunsOut()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var time = new ObservedTimeProvider();
        var options = emulator.CreateClientOptions(privateKey: true);
        options.TimeProvider = time;
        options.StateTimeToLive = TimeSpan.FromSeconds(30);
        await using var factory = new CossistantSessionFactory(options);
        var visitorId = emulator.CreateVisitor();
        await using var session = factory.CreateSession(visitorId);
        await session.FetchSupportStateAsync(cancellationToken: Ct);

        // Another process (another server client) changes the flags: this factory has no way to know yet.
        await using (var elsewhere = ServerApi(emulator))
        {
            await elsewhere.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["from-elsewhere"], Ct);
        }

        var fetches = StateFetches(emulator, visitorId);
        time.Advance(TimeSpan.FromSeconds(15)); // half the time to live: the sweep finds the state still fresh
        Assert.Equal(fetches, StateFetches(emulator, visitorId));
        Assert.False(session.IsFeatureFlagEnabled("from-elsewhere"));

        time.Advance(TimeSpan.FromSeconds(15)); // 30 s: stale, refreshed
        await Until.SessionAsync(session, snapshot => snapshot.State.IsFeatureFlagEnabled("from-elsewhere"), "the refresh after the time to live");
        Assert.Equal(fetches + 1, StateFetches(emulator, visitorId));
    }

    [Fact(Timeout = 30_000)]
    public async Task TwoSessionsOfOneVisitor_AWriteInOneReachesTheOther_AndTheirWritesNeverOverlapOnTheWire()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var inFlight = 0;
        var overlaps = 0;
        using var http = new InterceptingHandler(async (request, forward, _) =>
        {
            if (Interlocked.Increment(ref inFlight) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            try
            {
                return await forward();
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }).CreateClient();
        await using var factory = new CossistantSessionFactory(emulator.CreateClientOptions(privateKey: true), http);
        var visitorId = emulator.CreateVisitor();
        await using var one = factory.CreateSession(visitorId);
        await using var two = factory.CreateSession(visitorId);
        await one.FetchSupportStateAsync(cancellationToken: Ct);
        await two.FetchSupportStateAsync(cancellationToken: Ct);

        var writes = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? one : two).SetOnboardingMetadataAsync(
            "step", Json($$"""{"n":{{i}}}"""), Ct)).ToArray();
        await Task.WhenAll(writes);

        Assert.Equal(0, Volatile.Read(ref overlaps));
        var onServer = emulator.GetSupportState(visitorId);
        await Until.SessionAsync(one, snapshot => snapshot.State.Equals(onServer) && snapshot.IsSettled, "session one shows the server's state");
        await Until.SessionAsync(two, snapshot => snapshot.State.Equals(onServer) && snapshot.IsSettled, "session two shows the server's state");
    }

    [Fact(Timeout = 30_000)]
    public async Task SessionOptsIntoASocket_EventsArrive_DisposeClosesItAndCompletesObservers()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var factory = new CossistantSessionFactory(VisitorOptions(emulator));
        var visitorId = emulator.CreateVisitor();
        var session = factory.CreateSession(visitorId);
        await session.ConnectRealtimeAsync(Ct);
        await Until.SessionAsync(session, snapshot => snapshot.IsSettled && snapshot.Status == SupportStateStatus.Success, "the catch-up fetch");
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = session.SupportStateChanges.Subscribe(new CompletionObserver(completed));

        await using (var server = ServerApi(emulator))
        {
            await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["live"], Ct);
        }

        await Until.SessionAsync(session, snapshot => snapshot.State.IsFeatureFlagEnabled("live"), "the event");
        await session.DisposeAsync();

        Assert.Equal(RealtimeConnectionStatus.Disconnected, session.RealtimeConnectionState.Status);
        await Until.Bound(completed.Task, "the observer completes");
        await WaitUntilAsync(() => emulator.OpenSocketsFor(visitorId) == 0, "the server saw the socket close");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => session.ConnectRealtimeAsync(Ct));
    }

    [Fact]
    public async Task CreateSession_InvalidVisitorOrDisposedFactory_ClearErrors()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var factory = new CossistantSessionFactory(VisitorOptions(emulator));

        Assert.Equal("visitorId", Assert.Throws<ArgumentException>(() => factory.CreateSession("nope")).ParamName);
        Assert.Throws<ArgumentException>(() => factory.CreateSession(null!));
        await factory.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => factory.CreateSession(emulator.CreateVisitor()));
        Assert.Throws<ObjectDisposedException>(() => factory.CreateClient());
    }

    private static System.Text.Json.JsonElement Json(string text)
    {
        using var document = System.Text.Json.JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private sealed class CompletionObserver(TaskCompletionSource completed) : IObserver<SupportStateSnapshot>
    {
        public void OnCompleted() => completed.TrySetResult();

        public void OnError(Exception error) => completed.TrySetException(error);

        public void OnNext(SupportStateSnapshot value)
        {
        }
    }
}
