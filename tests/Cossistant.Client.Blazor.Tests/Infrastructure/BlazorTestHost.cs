using System.Collections.Concurrent;
using Cossistant.Client.Blazor.Tests.Components;
using Cossistant.Client.Testing;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Cossistant.Client.Blazor.Tests.Infrastructure;

/// <summary>
/// A bUnit context wired the way a Blazor Server app wires Cossistant: <c>AddCossistant(...).AddBlazor()</c> against the
/// emulator with the website's private key. bUnit's JSInterop stands in for the browser's localStorage (strict: any
/// other JavaScript call fails the test).
/// </summary>
internal static class BlazorTestHost
{
    public const string VisitorIdKey = "cossistant_visitor_id";

    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A context whose localStorage holds <paramref name="storedVisitorId"/> (or nothing).</summary>
    public static BunitContext Create(
        CossistantEmulator emulator, string? storedVisitorId = null, RequestHolds? holds = null, Action<CossistantClientOptions>? configure = null)
    {
        var context = CreateBrowser(storedVisitorId);
        var cossistant = context.Services.AddCossistant(options => ConfigureFor(emulator, options, configure));
        if (holds is not null)
        {
            cossistant.HttpClient.AddHttpMessageHandler(() => new HoldingHandler(holds));
        }

        cossistant.AddBlazor();
        return context;
    }

    /// <summary>A context with the browser's localStorage and no Cossistant registration.</summary>
    public static BunitContext CreateBrowser(string? storedVisitorId = null)
    {
        BunitContext.DefaultWaitTimeout = WaitTimeout;
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Strict;
        context.JSInterop.Setup<string?>("localStorage.getItem", VisitorIdKey).SetResult(storedVisitorId);
        context.JSInterop.SetupVoid(
            "localStorage.setItem",
            invocation => invocation.Arguments.Count == 2 && VisitorIdKey.Equals(invocation.Arguments[0])).SetVoidResult();
        return context;
    }

    /// <summary>Server-style options for the emulator's default website with the test config.</summary>
    public static void ConfigureFor(CossistantEmulator emulator, CossistantClientOptions options, Action<CossistantClientOptions>? configure = null)
    {
        var server = emulator.CreateClientOptions(privateKey: true);
        options.ApiUrl = server.ApiUrl;
        options.RealtimeUrl = server.RealtimeUrl;
        options.PrivateApiKey = server.PrivateApiKey;
        options.Origin = server.Origin;
        options.Support = TestSupport.Config;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        configure?.Invoke(options);
    }

    /// <summary>The server client the registration made (the same factory the page's client runs on).</summary>
    public static ICossistantServerClient ServerClient(this BunitContext context) => context.Services.GetRequiredService<ICossistantServerClient>();

    /// <summary>A visitor with these flags of its own.</summary>
    public static async Task<string> SeedVisitorAsync(CossistantEmulator emulator, params FeatureFlag[] flags)
    {
        var visitorId = emulator.CreateVisitor();
        await AddOwnFlagsAsync(emulator, visitorId, flags);
        return visitorId;
    }

    /// <summary>Adds flags to a visitor the way an admin elsewhere would: through a server client of its own.</summary>
    public static async Task AddOwnFlagsAsync(CossistantEmulator emulator, string visitorId, params FeatureFlag[] flags)
    {
        if (flags.Length > 0)
        {
            await using var admin = new CossistantServerClient(emulator.CreateClientOptions(privateKey: true));
            await admin.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, flags, Ct);
        }
    }

    /// <summary>
    /// Waits (bounded) until the emulator has recorded a request: it records one once its answer is written, which
    /// the client may read a moment before. Signalled by the emulator when it records, not polled.
    /// </summary>
    public static async Task<RecordedRequest> RecordedRequestAsync(CossistantEmulator emulator, Func<RecordedRequest, bool> match, string what)
    {
        try
        {
            return await emulator.WaitForRequestAsync(match, WaitTimeout, Ct, matchText: what);
        }
        catch (TimeoutException timeout)
        {
            Assert.Fail($"The emulator recorded no {what} within {WaitTimeout.TotalSeconds} s. {timeout.Message}");
            throw;
        }
    }

    /// <summary>A <see cref="FeatureFlagView"/> of <paramref name="flag"/> whose three contents record each time they render.</summary>
    public static Action<ComponentParameterCollectionBuilder<FeatureFlagView>> FlagView(FeatureFlag flag, ConcurrentQueue<string>? shown = null) =>
        view => view
            .Add(x => x.Flag, flag)
            .Add(x => x.Enabled, Content(flag, "enabled", shown))
            .Add(x => x.Disabled, Content(flag, "disabled", shown))
            .Add(x => x.Loading, Content(flag, "loading", shown));

    /// <summary>What the view of <paramref name="flag"/> shows now: enabled, disabled or loading.</summary>
    public static string Shown(this IRenderedComponent<SupportProvider> provider, FeatureFlag flag) =>
        provider.Find($"p[data-flag='{flag.Name}']").GetAttribute("class") ?? string.Empty;

    /// <summary>The context the provider cascades, read through a component inside it.</summary>
    public static SupportContext Support(this IRenderedComponent<SupportProvider> provider) =>
        provider.FindComponent<RenderProbe>().Instance.SupportContext!;

    private static RenderFragment Content(FeatureFlag flag, string phase, ConcurrentQueue<string>? shown) => builder =>
    {
        shown?.Enqueue(phase);
        builder.OpenElement(0, "p");
        builder.AddAttribute(1, "class", phase);
        builder.AddAttribute(2, "data-flag", flag.Name);
        builder.AddContent(3, $"{flag.Name} {phase}");
        builder.CloseElement();
    };
}
