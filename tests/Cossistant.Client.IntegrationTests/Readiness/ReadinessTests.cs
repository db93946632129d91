using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Readiness;

/// <summary><c>EnsureReadyAsync</c>: website, state and realtime in one call within a time limit; <c>WarmUpOnStart</c> in a host.</summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Client_WithAutoConnect_IsReadyInOneCall_AndASecondCallAsksNothingAgain()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.Realtime.AutoConnect = true;
        await using var client = new CossistantClient(options);

        var snapshot = await client.EnsureReadyAsync(Limit, Ct);

        Assert.NotNull(client.WebsiteId);
        Assert.Equal(SupportStateStatus.Success, snapshot.Status);
        Assert.Equal(RealtimeConnectionStatus.Connected, client.RealtimeConnectionState.Status);
        await client.EnsureReadyAsync(Limit, Ct);
        Assert.Single(emulator.Requests, request => request.Path == "/v1/websites");
    }

    [Fact]
    public async Task Client_WithoutRealtime_IsReadyWithoutASocket()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = new CossistantClient(VisitorOptions(emulator));

        var snapshot = await client.EnsureReadyAsync(Limit, Ct);

        Assert.Equal(SupportStateStatus.Success, snapshot.Status);
        Assert.Equal(RealtimeConnectionStatus.Disconnected, client.RealtimeConnectionState.Status);
        Assert.Equal(1, StateFetches(emulator, client.VisitorId!));
    }

    [Fact]
    public async Task NotReadyInTime_IsATimeoutNamingTheStepStillAwaited()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = VisitorOptions(emulator);
        options.TimeProvider = time;
        options.Realtime.AutoConnect = true;
        await using var client = new CossistantClient(options);
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.RealtimeConnectionStateChanged += (_, change) =>
        {
            if (change.Current is { Status: RealtimeConnectionStatus.Reconnecting, NextAttemptAt: { } next } && next > time.GetUtcNow().AddMinutes(5))
            {
                refused.TrySetResult(); // waiting out the refusal's Retry-After
            }
        };
        emulator.Faults.RefuseNextUpgrades(1, retryAfterSeconds: 600);
        await client.FetchWebsiteAsync(Ct); // the socket starts with the visitor, and is refused
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        await refused.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        var ready = client.EnsureReadyAsync(TimeSpan.FromSeconds(5), Ct); // website and state are known: it waits for the socket
        time.Advance(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => ready);
        Assert.Equal("The client was not ready within 00:00:05: still waiting for the realtime connection.", error.Message);
        Assert.Equal(SupportStateStatus.Success, client.Status); // the steps before it are done
    }

    [Fact]
    public async Task RefusedKeys_FailAtOnce_NotAsATimeout()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.PublicKey = "pk_test_" + new string('0', 64);
        await using var client = new CossistantClient(options);

        await Assert.ThrowsAsync<CossistantAuthenticationException>(() => client.EnsureReadyAsync(Limit, Ct));
    }

    [Fact]
    public async Task BadTimeoutOrCancelledCaller_FailBeforeAnyRequest()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = new CossistantClient(VisitorOptions(emulator));

        var synchronous = Record.Exception(() => { _ = client.EnsureReadyAsync(TimeSpan.Zero, Ct); }); // thrown by the call itself
        Assert.IsType<ArgumentOutOfRangeException>(synchronous);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.EnsureReadyAsync(Limit, new CancellationToken(canceled: true)));
        Assert.Empty(emulator.Requests);
    }

    [Fact]
    public async Task Session_IsReadyWithItsState_AndItsSocketWhenItStartedOne()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var factory = new CossistantSessionFactory(VisitorOptions(emulator));
        await using var session = factory.CreateSession(emulator.CreateVisitor());

        Assert.Equal(SupportStateStatus.Success, (await session.EnsureReadyAsync(Limit, Ct)).Status);
        Assert.Equal(RealtimeConnectionStatus.Disconnected, session.RealtimeConnectionState.Status);

        await using var live = factory.CreateSession(session.VisitorId);
        var connecting = live.ConnectRealtimeAsync(Ct); // this session wants realtime: ready means connected
        Assert.Equal(SupportStateStatus.Success, (await live.EnsureReadyAsync(Limit, Ct)).Status);
        Assert.Equal(RealtimeConnectionStatus.Connected, live.RealtimeConnectionState.Status);
        await connecting;
    }

    [Fact]
    public async Task WarmUpOnStart_TheHostStartsWithTheVisitorClientReady()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        using var host = new HostBuilder().ConfigureServices(services =>
            services.AddCossistant(options => Copy(VisitorOptions(emulator), options)).WarmUpOnStart()).Build();

        await host.StartAsync(Ct);

        var client = host.Services.GetRequiredService<CossistantClient>();
        Assert.NotNull(client.WebsiteId);
        Assert.Equal(SupportStateStatus.Success, client.Status);
        Assert.Equal(1, StateFetches(emulator, client.VisitorId!));
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task WarmUpOnStart_RefusedKeys_StopTheStartOnlyWhenAskedTo()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var refused = VisitorOptions(emulator);
        refused.PublicKey = "pk_test_" + new string('0', 64);
        using (var strict = new HostBuilder().ConfigureServices(services =>
            services.AddCossistant(options => Copy(refused, options)).WarmUpOnStart(failStartup: true)).Build())
        {
            await Assert.ThrowsAsync<CossistantAuthenticationException>(() => strict.StartAsync(Ct));
        }

        var logs = new CapturingLoggerProvider();
        using var lenient = new HostBuilder().ConfigureServices(services =>
        {
            services.AddLogging(builder => builder.AddProvider(logs));
            services.AddCossistant(options => Copy(refused, options)).WarmUpOnStart();
        }).Build();

        await lenient.StartAsync(Ct);

        var warning = await logs.WhenLoggedAsync(entry => entry.Message.StartsWith("Cossistant registration (default) was not ready at start", StringComparison.Ordinal), "the warm-up warning");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.DoesNotContain(refused.PublicKey, warning.ToString(), StringComparison.Ordinal);
        await lenient.StopAsync(Ct);
    }

    private static void Copy(CossistantClientOptions from, CossistantClientOptions to)
    {
        to.ApiUrl = from.ApiUrl;
        to.RealtimeUrl = from.RealtimeUrl;
        to.PublicKey = from.PublicKey;
        to.Origin = from.Origin;
        to.Support = from.Support;
        to.Retry.MaxRetryAttempts = 0;
    }
}
