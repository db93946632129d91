using Cossistant.Client.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Diagnostics;

/// <summary>Healthy; Degraded while realtime reconnects or a shown state is too old; Unhealthy when the keys are refused.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task RefusedKeys_AreUnhealthy_WithTheReasonAndNoKey()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.PublicKey = "pk_test_" + new string('0', 64);
        await using var factory = new CossistantSessionFactory(options);
        var check = new CossistantHealthCheck(factory);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status); // nothing refused yet

        await using var session = factory.CreateSession(emulator.CreateVisitor());
        await Assert.ThrowsAsync<CossistantAuthenticationException>(() => session.FetchSupportStateAsync(cancellationToken: Ct));
        var result = await CheckAsync(check);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("The server refused the keys (HTTP 401): ", result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(options.PublicKey, result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconnectingRealtime_IsDegraded_ThenHealthyOnceConnected()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var factory = new CossistantSessionFactory(VisitorOptions(emulator));
        var check = new CossistantHealthCheck(factory);
        await using var session = factory.CreateSession(emulator.CreateVisitor());
        await session.FetchSupportStateAsync(cancellationToken: Ct);
        await session.ConnectRealtimeAsync(Ct);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status);

        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        session.RealtimeConnectionStateChanged += (_, change) =>
        {
            // The wait after the refused upgrade (its Retry-After), not the short one right after the drop: the
            // refusal is then used up and the reconnect below connects at once.
            if (change.Current is { Status: RealtimeConnectionStatus.Reconnecting, NextAttemptAt: { } next }
                && next > DateTimeOffset.UtcNow.AddMinutes(5))
            {
                waiting.TrySetResult();
            }
        };
        emulator.Faults.RefuseNextUpgrades(1, retryAfterSeconds: 600); // the client then waits its Retry-After
        emulator.Faults.DropAllSockets();
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        var degraded = await CheckAsync(check);

        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.StartsWith("Realtime is reconnecting (1 of 1 connections)", degraded.Description, StringComparison.Ordinal);
        Assert.Equal(1, degraded.Data["realtimeReconnecting"]);

        await session.ReconnectRealtimeAsync(Ct);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status);
    }

    [Fact]
    public async Task StateOlderThanTheThreshold_IsDegraded_UntilTheServerConfirmsItAgain()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = VisitorOptions(emulator);
        options.TimeProvider = time;
        options.StateTimeToLive = TimeSpan.FromHours(1); // no background refresh within the test
        await using var factory = new CossistantSessionFactory(options);
        var check = new CossistantHealthCheck(factory, new CossistantHealthCheckOptions { MaxStateAge = TimeSpan.FromSeconds(60) });
        await using var session = factory.CreateSession(emulator.CreateVisitor());
        await session.FetchSupportStateAsync(cancellationToken: Ct);

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status);
        time.Advance(TimeSpan.FromSeconds(2));
        var degraded = await CheckAsync(check);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal("The oldest support state a session shows was confirmed 61 s ago (more than 60 s).", degraded.Description);

        await session.FetchSupportStateAsync(force: true, Ct);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status);
    }

    [Fact]
    public async Task AddHealthChecksAddCossistant_ChecksTheRegistration_WithItsFailureStatus()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCossistant(options => Apply(VisitorOptions(emulator), options));
        services.AddCossistant("stranger", options =>
        {
            Apply(VisitorOptions(emulator), options);
            options.PublicKey = "pk_test_" + new string('0', 64);
        });
        services.AddHealthChecks()
            .AddCossistant()
            .AddCossistant("cossistant-stranger", registration: "stranger", failureStatus: HealthStatus.Degraded);
        await using var provider = services.BuildServiceProvider();
        var stranger = provider.GetRequiredKeyedService<CossistantSessionFactory>("stranger");
        await using (var session = stranger.CreateSession(emulator.CreateVisitor()))
        {
            await Assert.ThrowsAsync<CossistantAuthenticationException>(() => session.FetchSupportStateAsync(cancellationToken: Ct));
        }

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Equal(HealthStatus.Healthy, report.Entries["cossistant"].Status);
        Assert.Equal(HealthStatus.Degraded, report.Entries["cossistant-stranger"].Status);
        Assert.Contains("refused the keys", report.Entries["cossistant-stranger"].Description, StringComparison.Ordinal);
    }

    private static Task<HealthCheckResult> CheckAsync(CossistantHealthCheck check) =>
        check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("cossistant", check, null, null) }, Ct);

    private static void Apply(CossistantClientOptions from, CossistantClientOptions to)
    {
        to.ApiUrl = from.ApiUrl;
        to.RealtimeUrl = from.RealtimeUrl;
        to.PublicKey = from.PublicKey;
        to.Origin = from.Origin;
    }
}
