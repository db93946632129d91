using System.Diagnostics.Metrics;
using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Diagnostics;

/// <summary>
/// The client's instruments, each test on a meter factory of its own (what DI passes): requests by operation and
/// outcome, retries, realtime state changes and reconnects, events applied, catch-up fetches, the state's age.
/// </summary>
public sealed class MetricsTests
{
    private const string Requests = "cossistant.client.requests";

    [Fact]
    public async Task Requests_AreCountedByOperationAndOutcome_WithTheirRetries()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var capture = new TelemetryCapture(meters);
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.MeterFactory = meters;
        await using var client = new CossistantClient(options);

        await client.FetchWebsiteAsync(Ct);
        emulator.Faults.FailNextRequests(2, 503, pathPrefix: "/v1/support/state");
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        var refused = options.Clone();
        refused.PublicKey = "pk_test_" + new string('0', 64);
        await using (var stranger = new CossistantClient(refused))
        {
            await Assert.ThrowsAsync<CossistantAuthenticationException>(() => stranger.FetchWebsiteAsync(Ct));
        }

        Assert.Equal(1, capture.Sum(Requests, ("cossistant.operation", "FetchWebsite"), ("cossistant.outcome", "success"), ("http.response.status_code", 200)));
        Assert.Equal(1, capture.Sum(Requests, ("cossistant.operation", "FetchSupportState"), ("cossistant.outcome", "success")));
        Assert.Equal(1, capture.Sum(Requests, ("cossistant.operation", "FetchWebsite"), ("cossistant.outcome", "http_error"), ("http.response.status_code", 401)));
        Assert.Equal(3, capture.Sum(Requests));
        Assert.Equal(2, capture.Sum("cossistant.client.retries", ("cossistant.operation", "FetchSupportState")));
        Assert.Equal(2, capture.Sum("cossistant.client.retries"));
        Assert.Equal(3, capture.Measurements.Count(m => m.Instrument == "cossistant.client.request.duration" && m.Value >= 0));
    }

    [Fact]
    public async Task Realtime_StateChangesReconnectsEventsAndCatchUps_AreCounted()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var capture = new TelemetryCapture(meters);
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.MeterFactory = meters;
        await using var client = new CossistantClient(options);
        await using var server = ServerApi(emulator);
        await client.FetchWebsiteAsync(Ct);

        await client.ConnectRealtimeAsync(Ct);
        await capture.WhenMeasuredAsync(m => m.Instrument == "cossistant.client.catch_up_fetches" && Equals(m.Tag("cossistant.outcome"), "success"), "the catch-up fetch after connecting");
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(client.VisitorId!), FeatureFlagOperation.Add, ["beta"], Ct);
        await capture.WhenMeasuredAsync(m => m.Instrument == "cossistant.client.realtime.events_applied", "the flag event applied");
        emulator.Faults.DropAllSockets();
        await capture.WhenMeasuredAsync(m => m.Instrument == "cossistant.client.realtime.reconnects", "the reconnect after the drop");
        await capture.WhenMeasuredAsync(
            m => m.Instrument == "cossistant.client.catch_up_fetches" && capture.Sum("cossistant.client.catch_up_fetches", ("cossistant.outcome", "success")) >= 2,
            "the catch-up fetch after reconnecting");

        const string changes = "cossistant.client.realtime.state_changes";
        Assert.Equal(1, capture.Sum(changes, ("cossistant.realtime.status", "connecting")));
        Assert.Equal(2, capture.Sum(changes, ("cossistant.realtime.status", "connected")));
        Assert.Equal(1, capture.Sum(changes, ("cossistant.realtime.status", "reconnecting")));
        Assert.Equal(1, capture.Sum("cossistant.client.realtime.events_applied"));
        Assert.True(client.IsFeatureFlagEnabled("beta"));
    }

    [Fact]
    public async Task StateAge_IsTheTimeSinceTheServerLastConfirmedTheState_AndZeroWithALiveSocket()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var capture = new TelemetryCapture(meters);
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = VisitorOptions(emulator);
        options.MeterFactory = meters;
        options.TimeProvider = time;
        options.StateTimeToLive = TimeSpan.FromHours(1); // no background refresh within the test
        await using var factory = new CossistantSessionFactory(options);
        const string age = "cossistant.client.state.age";

        capture.Collect();
        Assert.DoesNotContain(capture.Measurements, m => m.Instrument == age); // no session shows a state yet

        await using var session = factory.CreateSession(emulator.CreateVisitor());
        await session.FetchSupportStateAsync(cancellationToken: Ct);
        time.Advance(TimeSpan.FromSeconds(42));
        capture.Collect();
        Assert.Equal(42, capture.Measurements.Last(m => m.Instrument == age).Value, precision: 3);

        await session.ConnectRealtimeAsync(Ct);
        capture.Collect();
        Assert.Equal(0, capture.Measurements.Last(m => m.Instrument == age).Value);
    }

    [Fact]
    public async Task FlagReads_RecordNothingAndAllocateNothing_WhileListenersAreOn()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var capture = new TelemetryCapture(meters);
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.MeterFactory = meters;
        await using var client = new CossistantClient(options);
        await client.FetchWebsiteAsync(Ct);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        var flag = Emulator.EmulatorSupport.NewMessage;
        var recorded = capture.Measurements.Count;
        using var root = capture.StartRoot();
        _ = client.IsFeatureFlagEnabled(flag); // warm

        var before = GC.GetAllocatedBytesForCurrentThread();
        var on = 0;
        for (var i = 0; i < 10_000; i++)
        {
            on += client.IsFeatureFlagEnabled(flag) ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, on);
        Assert.Equal(recorded, capture.Measurements.Count);
        Assert.Empty(capture.Spans);
    }
}
