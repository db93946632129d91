using System.Collections.Concurrent;
using Cossistant.Client.Blazor.Tests.Components;
using Cossistant.Client.Blazor.Tests.Infrastructure;
using Cossistant.Client.Testing;
using static Cossistant.Client.Blazor.Tests.Infrastructure.BlazorTestHost;

namespace Cossistant.Client.Blazor.Tests;

/// <summary>FeatureFlagView inside a SupportProvider, against the emulator: what it shows while loading, after a change, after an error.</summary>
public sealed class FeatureFlagViewTests
{
    [Fact(Timeout = 60_000)]
    public async Task FeatureFlagView_ServerFlipsTheVisitorsFlag_ShowsEnabledThenDisabledWithoutAnyCallOnTheComponent()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var context = Create(emulator);
        var provider = context.Render<SupportProvider>(p => p
            .AddChildContent<FeatureFlagView>(FlagView(TestSupport.NewMessage))
            .AddChildContent<RenderProbe>(_ => { }));
        provider.WaitForAssertion(() => Assert.Equal("disabled", provider.Shown(TestSupport.NewMessage)));
        var visitor = FeatureFlagTarget.Visitor(provider.Support().Client.VisitorId!);
        var server = context.ServerClient();

        await server.MutateSupportFeatureFlagsAsync(visitor, FeatureFlagOperation.Add, [TestSupport.NewMessage], Ct);
        provider.WaitForAssertion(() => Assert.Equal("enabled", provider.Shown(TestSupport.NewMessage)));

        await server.MutateSupportFeatureFlagsAsync(visitor, FeatureFlagOperation.Remove, [TestSupport.NewMessage], Ct);
        provider.WaitForAssertion(() => Assert.Equal("disabled", provider.Shown(TestSupport.NewMessage)));
    }

    [Fact(Timeout = 60_000)]
    public async Task FeatureFlagView_AnotherFlagChanges_DoesNotReRender()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var context = Create(emulator);
        var provider = context.Render<SupportProvider>(p => p
            .AddChildContent<FeatureFlagView>(FlagView(TestSupport.NewMessage))
            .AddChildContent<FeatureFlagView>(FlagView(TestSupport.BillingV2))
            .AddChildContent<RenderProbe>(_ => { }));
        var probe = provider.FindComponent<RenderProbe>();
        probe.WaitForAssertion(() => Assert.Equal("true", probe.Find("#probe").GetAttribute("data-loaded")));
        var views = provider.FindComponents<FeatureFlagView>();
        var (newMessage, billing) = (views[0], views[1]);
        Assert.Equal("disabled", provider.Shown(TestSupport.NewMessage));
        Assert.Equal("disabled", provider.Shown(TestSupport.BillingV2));
        var (newMessageRenders, billingRenders) = (newMessage.RenderCount, billing.RenderCount);
        var visitor = FeatureFlagTarget.Visitor(provider.Support().Client.VisitorId!);
        var server = context.ServerClient();

        await server.MutateSupportFeatureFlagsAsync(visitor, FeatureFlagOperation.Add, [TestSupport.NewMessage], Ct);
        probe.WaitForAssertion(() => Assert.Equal("new-message", probe.Find("#probe").GetAttribute("data-flags")));
        Assert.Equal("enabled", provider.Shown(TestSupport.NewMessage));
        Assert.Equal(newMessageRenders + 1, newMessage.RenderCount);
        Assert.Equal(billingRenders, billing.RenderCount);

        await server.MutateSupportFeatureFlagsAsync(visitor, FeatureFlagOperation.Add, [TestSupport.BillingV2], Ct);
        probe.WaitForAssertion(() => Assert.Equal("billing-v2,new-message", probe.Find("#probe").GetAttribute("data-flags")));
        Assert.Equal("enabled", provider.Shown(TestSupport.BillingV2));
        Assert.Equal(billingRenders + 1, billing.RenderCount);
        Assert.Equal(newMessageRenders + 1, newMessage.RenderCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task FeatureFlagView_BeforeTheStateHasLoaded_ShowsLoadingNeverEnabledOrDisabled()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = await SeedVisitorAsync(emulator, TestSupport.NewMessage);
        var holds = new RequestHolds();
        var stateRequest = holds.Next(HttpMethod.Get, "/support/state");
        await using var context = Create(emulator, visitorId, holds);
        var shown = new ConcurrentQueue<string>();

        var provider = context.Render<SupportProvider>(p => p
            .AddChildContent<FeatureFlagView>(FlagView(TestSupport.NewMessage, shown))
            .AddChildContent<OnboardingList>(_ => { })
            .AddChildContent<RenderProbe>(_ => { }));
        Assert.Equal("loading", provider.Shown(TestSupport.NewMessage));
        await stateRequest.WaitUntilArrivedAsync();
        await provider.InvokeAsync(() => { });

        var support = provider.Support();
        Assert.Equal(visitorId, support.Client.VisitorId);
        Assert.Equal("loading", provider.Shown(TestSupport.NewMessage));
        Assert.True(support.IsLoading);
        Assert.False(support.HasLoaded);
        Assert.Equal(SupportStateStatus.Loading, support.Status);
        Assert.False(support.IsEnabled(TestSupport.NewMessage));
        Assert.Equal(TestSupport.Workspace.Id, support.CurrentStepId);
        Assert.Equal(["workspace", "invite-team", "done"], support.Onboarding.Steps.Select(step => step.Id));
        Assert.Equal(TestSupport.Workspace.Id, provider.Find("ol").GetAttribute("data-current"));
        Assert.All(shown, phase => Assert.Equal("loading", phase));

        stateRequest.Release();
        provider.WaitForAssertion(() => Assert.Equal("enabled", provider.Shown(TestSupport.NewMessage)));
        Assert.False(support.IsLoading);
        Assert.Equal(SupportStateStatus.Success, support.Status);
        Assert.Equal("enabled", shown.Last());
        Assert.All(shown.SkipLast(1), phase => Assert.Equal("loading", phase));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("/v1/websites")]
    [InlineData("/v1/support/state")]
    public async Task FeatureFlagView_StateCannotLoad_ShowsDisabledAndTheContextHoldsTheError(string failingPath)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = await SeedVisitorAsync(emulator, TestSupport.NewMessage);
        await using var context = Create(emulator, visitorId, configure: options => options.Retry.MaxRetryAttempts = 0);
        emulator.Faults.FailNextRequests(1, 500, pathPrefix: failingPath);
        var shown = new ConcurrentQueue<string>();

        var provider = context.Render<SupportProvider>(p => p
            .AddChildContent<FeatureFlagView>(FlagView(TestSupport.NewMessage, shown))
            .AddChildContent<RenderProbe>(_ => { }));
        provider.WaitForAssertion(() => Assert.Equal("disabled", provider.Shown(TestSupport.NewMessage)));

        var support = provider.Support();
        Assert.Equal(SupportStateStatus.Error, support.Status);
        var error = Assert.IsType<CossistantException>(support.Error, exactMatch: false);
        Assert.Equal(500, error.StatusCode);
        Assert.False(support.IsLoading);
        Assert.False(support.HasLoaded);
        Assert.DoesNotContain("enabled", shown);
        await RecordedRequestAsync(emulator, request => request.Path == failingPath && request.StatusCode == 500, "refused " + failingPath);
        Assert.True(emulator.GetSupportState(visitorId).IsFeatureFlagEnabled(TestSupport.NewMessage));
    }

    [Fact(Timeout = 30_000)]
    public async Task FeatureFlagView_OutsideASupportProvider_ThrowsNamingTheProvider()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var context = Create(emulator);

        var error = Assert.Throws<InvalidOperationException>(() => context.Render<FeatureFlagView>(FlagView(TestSupport.NewMessage)));

        Assert.Contains("<SupportProvider>", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FeatureFlagView), error.Message, StringComparison.Ordinal);
    }
}
