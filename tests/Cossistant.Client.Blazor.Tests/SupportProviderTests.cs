using Cossistant.Client.Blazor.Tests.Components;
using Cossistant.Client.Blazor.Tests.Infrastructure;
using Cossistant.Client.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Cossistant.Client.Blazor.Tests.Infrastructure.BlazorTestHost;

namespace Cossistant.Client.Blazor.Tests;

/// <summary>SupportProvider refuses a wrong setup with a message that says what to fix.</summary>
public sealed class SupportProviderTests
{
    [Fact(Timeout = 30_000)]
    public async Task SupportProvider_SupportIsNotTheRegistrationsConfig_ThrowsNamingTheMismatch()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var context = Create(emulator);
        var lookalike = SupportConfig.Create([TestSupport.NewMessage, TestSupport.BillingV2], [TestSupport.Workspace, TestSupport.InviteTeam, TestSupport.Done]);

        var error = Assert.Throws<InvalidOperationException>(() => context.Render<SupportProvider>(p => p
            .Add(x => x.Support, lookalike)
            .AddChildContent<RenderProbe>(_ => { })));

        Assert.Contains("SupportProvider.Support", error.Message, StringComparison.Ordinal);
        Assert.Contains("same instance", error.Message, StringComparison.Ordinal);

        var provider = context.Render<SupportProvider>(p => p
            .Add(x => x.Support, TestSupport.Config)
            .AddChildContent<RenderProbe>(_ => { }));
        Assert.Same(TestSupport.Config, provider.Support().Support);
    }

    [Fact(Timeout = 30_000)]
    public async Task SupportProvider_WithoutAddBlazor_ThrowsNamingAddBlazor()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var context = CreateBrowser();
        context.Services.AddCossistant(options => ConfigureFor(emulator, options));

        var error = Assert.Throws<InvalidOperationException>(() => context.Render<SupportProvider>(p => p
            .AddChildContent<RenderProbe>(_ => { })));

        Assert.Contains("AddBlazor()", error.Message, StringComparison.Ordinal);
        Assert.Empty(emulator.Requests);
    }
}
