using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.LastKnown;
using Cossistant.Client.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorSupport;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.LastKnown;

/// <summary>
/// The last-known state: saved from the server's answers, shown at the next start before the server answers (status
/// <see cref="SupportStateStatus.Cached"/>), replaced by the server's answer, and never shown for another visitor or API.
/// </summary>
public sealed class LastKnownStateTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cossistant-last-known-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task NextRun_ShowsTheSavedStateAtOnceAsCached_EvenWhenTheApiFails_ThenTheServersAnswerReplacesIt()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var admin = ServerApi(emulator);
        string visitorId;
        await using (var first = new CossistantClient(Options(emulator)))
        {
            await first.FetchWebsiteAsync(Ct);
            visitorId = first.VisitorId!;
            await admin.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, [NewMessage], Ct);
            await first.FetchSupportStateAsync(force: true, cancellationToken: Ct);
            Assert.True(first.IsFeatureFlagEnabled(NewMessage));
        }

        var file = new FileLastKnownStateStore(_directory).FilePathFor(visitorId);
        var saved = await File.ReadAllTextAsync(file, Ct);
        Assert.Contains("\"visitorId\":\"" + visitorId + "\"", saved, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.DefaultWebsite.PublicKey, saved, StringComparison.Ordinal);

        // Between the runs the server changed, and at the next start the API is down.
        await admin.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Set, [BillingV2], Ct);
        var fetchesBefore = StateFetches(emulator, visitorId);
        emulator.Faults.FailNextRequests(1, 503, pathPrefix: "/v1/websites");
        await using var second = new CossistantClient(Options(emulator));

        await Assert.ThrowsAsync<CossistantApiException>(() => second.FetchWebsiteAsync(Ct));

        var shown = second.SupportStateSnapshot;
        Assert.Equal(visitorId, second.VisitorId);
        Assert.Equal(SupportStateStatus.Cached, shown.Status);
        Assert.True(shown.IsFromCache);
        Assert.True(second.IsFeatureFlagEnabled(NewMessage));
        Assert.False(second.IsFeatureFlagEnabled(BillingV2));
        Assert.Equal(fetchesBefore, StateFetches(emulator, visitorId)); // shown without asking the server

        await second.FetchWebsiteAsync(Ct);
        await second.FetchSupportStateAsync(cancellationToken: Ct);

        var answered = second.SupportStateSnapshot;
        Assert.Equal(SupportStateStatus.Success, answered.Status);
        Assert.False(answered.IsFromCache);
        Assert.False(second.IsFeatureFlagEnabled(NewMessage));
        Assert.True(second.IsFeatureFlagEnabled(BillingV2));
    }

    [Fact]
    public async Task FailedFetch_KeepsShowingTheSavedState_FlaggedAsFromCache()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        var store = new FileLastKnownStateStore(_directory);
        await store.WriteAsync(visitorId, Encode(emulator, visitorId, new SupportState([NewMessage.Name], null)), Ct);
        var options = Options(emulator);
        await using var factory = new CossistantSessionFactory(options);
        await using var session = factory.CreateSession(visitorId);
        await session.LastKnownLoaded;
        Assert.Equal(SupportStateStatus.Cached, session.Status);

        emulator.Faults.FailNextRequests(1, 503, pathPrefix: "/v1/support/state");
        await Assert.ThrowsAsync<CossistantApiException>(() => session.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(SupportStateStatus.Error, session.Status);
        Assert.True(session.SupportStateSnapshot.IsFromCache);
        Assert.True(session.IsFeatureFlagEnabled(NewMessage));
    }

    [Fact]
    public async Task AStoreThatReturnsAnotherVisitorsBytes_IsIgnored_NeverShown()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var someoneElse = emulator.CreateVisitor();
        var store = new OneSlotStore(Encode(emulator, someoneElse, new SupportState([NewMessage.Name], null)));
        var logs = new CapturingLoggerProvider();
        var options = Options(emulator);
        options.LastKnownStateStore = store;
        options.LoggerFactory = logs.CreateFactory();
        await using var factory = new CossistantSessionFactory(options);

        await using var session = factory.CreateSession(emulator.CreateVisitor());
        await session.LastKnownLoaded;

        await logs.WhenLoggedAsync(entry => entry.Message == "Ignored a saved last-known support state: it belongs to another visitor", "the ignored state");
        Assert.Equal(SupportStateStatus.Idle, session.Status);
        Assert.False(session.SupportStateSnapshot.IsFromCache);
        Assert.False(session.IsFeatureFlagEnabled(NewMessage));
    }

    [Fact]
    public async Task AnotherApisSavedState_IsIgnored()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var otherApi = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        await new FileLastKnownStateStore(_directory).WriteAsync(visitorId, Encode(otherApi, visitorId, new SupportState([NewMessage.Name], null)), Ct);
        var logs = new CapturingLoggerProvider();
        var options = Options(emulator);
        options.LoggerFactory = logs.CreateFactory();
        await using var factory = new CossistantSessionFactory(options);

        await using var session = factory.CreateSession(visitorId);
        await session.LastKnownLoaded;

        await logs.WhenLoggedAsync(entry => entry.Message == "Ignored a saved last-known support state: it came from another API URL", "the ignored state");
        Assert.Equal(SupportStateStatus.Idle, session.Status);
        Assert.False(session.IsFeatureFlagEnabled(NewMessage));
    }

    [Fact]
    public async Task TheServerAnsweredFirst_ASlowSavedStateNeverReplacesIt()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        var store = new GatedStore();
        var options = Options(emulator);
        options.LastKnownStateStore = store;
        await using var factory = new CossistantSessionFactory(options);
        await using var session = factory.CreateSession(visitorId);

        await session.FetchSupportStateAsync(cancellationToken: Ct); // the server: no flags
        store.Release(Encode(emulator, visitorId, new SupportState([NewMessage.Name], null)));
        await session.LastKnownLoaded;

        Assert.Equal(SupportStateStatus.Success, session.Status);
        Assert.False(session.SupportStateSnapshot.IsFromCache);
        Assert.False(session.IsFeatureFlagEnabled(NewMessage));
    }

    [Fact]
    public async Task AFailingStore_NeverFailsTheClient_AndIsLogged()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var logs = new CapturingLoggerProvider();
        var options = Options(emulator);
        options.LastKnownStateStore = new BrokenStore();
        options.LoggerFactory = logs.CreateFactory();
        await using var client = new CossistantClient(options);

        await client.FetchWebsiteAsync(Ct); // no stored visitor yet: nothing to read
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        await logs.WhenLoggedAsync(entry => entry.Level == LogLevel.Warning && entry.Message.StartsWith("Could not save the last-known", StringComparison.Ordinal), "the failed write");

        await using var next = new CossistantClient(options); // the visitor id is stored now: the read fails
        await next.FetchWebsiteAsync(Ct);
        await logs.WhenLoggedAsync(entry => entry.Level == LogLevel.Warning && entry.Message.StartsWith("Could not read the last-known", StringComparison.Ordinal), "the failed read");
        Assert.Equal(client.VisitorId, next.VisitorId);
        Assert.Equal(SupportStateStatus.Success, (await next.EnsureReadyAsync(TimeSpan.FromSeconds(30), Ct)).Status);
    }

    private CossistantClientOptions Options(CossistantEmulator emulator)
    {
        var options = VisitorOptions(emulator);
        options.VisitorIdStore = new FileVisitorIdStore(Path.Combine(_directory, "visitor-id"));
        options.LastKnownStateStore = new FileLastKnownStateStore(_directory);
        options.Retry.MaxRetryAttempts = 0;
        return options;
    }

    private static byte[] Encode(CossistantEmulator emulator, string visitorId, SupportState state) =>
        new LastKnownStates(new BrokenStore(), emulator.ApiUrl, TimeProvider.System, NullLogger.Instance).Encode(visitorId, state);

    /// <summary>A buggy shared store: the same bytes for every visitor.</summary>
    private sealed class OneSlotStore(byte[] bytes) : ILastKnownStateStore
    {
        public ValueTask<byte[]?> ReadAsync(string visitorId, CancellationToken cancellationToken) => new(bytes);

        public ValueTask WriteAsync(string visitorId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken) => default;
    }

    /// <summary>A store whose read answers when the test says so.</summary>
    private sealed class GatedStore : ILastKnownStateStore
    {
        private readonly TaskCompletionSource<byte[]?> _read = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release(byte[] bytes) => _read.TrySetResult(bytes);

        public ValueTask<byte[]?> ReadAsync(string visitorId, CancellationToken cancellationToken) => new(_read.Task.WaitAsync(cancellationToken));

        public ValueTask WriteAsync(string visitorId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken) => default;
    }

    private sealed class BrokenStore : ILastKnownStateStore
    {
        public ValueTask<byte[]?> ReadAsync(string visitorId, CancellationToken cancellationToken) =>
            throw new IOException("The disk is gone.");

        public ValueTask WriteAsync(string visitorId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken) =>
            throw new IOException("The disk is full.");
    }
}
