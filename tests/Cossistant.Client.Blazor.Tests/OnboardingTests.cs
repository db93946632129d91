using Cossistant.Client.Blazor.Tests.Components;
using Cossistant.Client.Blazor.Tests.Infrastructure;
using Cossistant.Client.Testing;
using static Cossistant.Client.Blazor.Tests.Infrastructure.BlazorTestHost;

namespace Cossistant.Client.Blazor.Tests;

/// <summary>A component deriving from SupportComponentBase shows the typed onboarding and applies its actions optimistically.</summary>
public sealed class OnboardingTests
{
    [Fact(Timeout = 60_000)]
    public async Task SupportComponentBase_OnboardingActions_ApplyAtOnceReachTheServerAndRollBackWhenRefused()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = await SeedVisitorAsync(emulator);
        var holds = new RequestHolds();
        await using var context = Create(emulator, visitorId, holds);
        var provider = context.Render<SupportProvider>(p => p
            .AddChildContent<OnboardingList>(_ => { })
            .AddChildContent<RenderProbe>(_ => { }));
        provider.WaitForAssertion(() => Assert.True(provider.Support().HasLoaded));
        var support = provider.Support();
        Assert.Equal(["step-workspace", "step-invite-team", "step-done"], provider.FindAll("li").Select(step => step.Id));
        Assert.Equal(["false", "false", "false"], Completed(provider));
        Assert.Equal("workspace", provider.Find("ol").GetAttribute("data-current"));

        // Completing a step shows at once, before the server has it.
        var completeRequest = holds.Next(HttpMethod.Patch, "/support/onboarding");
        var completing = support.CompleteStepAsync(TestSupport.Workspace, Ct);
        provider.WaitForAssertion(() => Assert.Equal(["true", "false", "false"], Completed(provider)));
        await completeRequest.WaitUntilArrivedAsync();
        Assert.False(completing.IsCompleted);
        Assert.Equal("invite-team", provider.Find("ol").GetAttribute("data-current"));
        Assert.False(StepOnServer(emulator, visitorId, "workspace").Completed);

        completeRequest.Release();
        await completing;
        Assert.True(StepOnServer(emulator, visitorId, "workspace").Completed);
        Assert.Equal(["true", "false", "false"], Completed(provider));

        // Typed metadata: shown at once, stored as the camelCase JSON object, read back typed from the server's answer.
        var metadata = new WorkspaceMetadata("Acme", 5);
        await support.SetMetadataAsync(TestSupport.Workspace, metadata, Ct);
        provider.WaitForAssertion(() => Assert.Equal("Acme (5 seats)", provider.Find("#workspace").TextContent));
        var stored = StepOnServer(emulator, visitorId, "workspace").Metadata;
        Assert.NotNull(stored);
        Assert.Equal("Acme", stored.Value.GetProperty("workspaceName").GetString());
        Assert.Equal(5, stored.Value.GetProperty("seats").GetInt32());
        await support.RefetchAsync(Ct);
        Assert.Equal(metadata, support.Onboarding.GetMetadata(TestSupport.Workspace));

        // A write the server refuses (400): shown at once, rolled back, and the call throws.
        var refusedRequest = holds.Next(HttpMethod.Patch, "/support/onboarding");
        emulator.Faults.FailNextRequests(1, 400, pathPrefix: "/v1/support/onboarding");
        var refused = support.CompleteStepAsync(TestSupport.InviteTeam, Ct);
        provider.WaitForAssertion(() => Assert.Equal(["true", "true", "false"], Completed(provider)));
        await refusedRequest.WaitUntilArrivedAsync();

        refusedRequest.Release();
        var error = await Assert.ThrowsAnyAsync<CossistantException>(() => refused);
        Assert.Equal(400, error.StatusCode);
        provider.WaitForAssertion(() => Assert.Equal(["true", "false", "false"], Completed(provider)));
        Assert.Equal("invite-team", provider.Find("ol").GetAttribute("data-current"));
        Assert.False(StepOnServer(emulator, visitorId, "invite-team").Completed);
        Assert.Equal("Acme (5 seats)", provider.Find("#workspace").TextContent);
    }

    [Fact(Timeout = 30_000)]
    public async Task SupportComponentBase_OutsideASupportProvider_ThrowsNamingTheProvider()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var context = Create(emulator);

        var error = Assert.Throws<InvalidOperationException>(() => context.Render<OnboardingList>());

        Assert.Contains("<SupportProvider>", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OnboardingList), error.Message, StringComparison.Ordinal);
    }

    private static string[] Completed(IRenderedComponent<SupportProvider> provider) =>
        [.. provider.FindAll("li").Select(step => step.GetAttribute("data-completed") ?? string.Empty)];

    private static OnboardingStepState StepOnServer(CossistantEmulator emulator, string visitorId, string stepId) =>
        emulator.GetSupportState(visitorId).Onboarding.TryGetStep(stepId, out var step) ? step : OnboardingStepState.Default;
}
