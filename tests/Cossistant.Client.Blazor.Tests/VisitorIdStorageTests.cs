using Cossistant.Client.Blazor.Tests.Components;
using Cossistant.Client.Blazor.Tests.Infrastructure;
using Cossistant.Client.Testing;
using static Cossistant.Client.Blazor.Tests.Infrastructure.BlazorTestHost;

namespace Cossistant.Client.Blazor.Tests;

/// <summary>The visitor id lives in the browser's localStorage, so a returning browser stays the same visitor.</summary>
public sealed class VisitorIdStorageTests
{
    [Fact(Timeout = 60_000)]
    public async Task SupportProvider_VisitorIdInLocalStorage_StoredOnFirstVisitAndReusedOnTheNext()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        string visitorId;
        await using (var firstVisit = Create(emulator))
        {
            var provider = firstVisit.Render<SupportProvider>(p => p
                .AddChildContent<FeatureFlagView>(FlagView(TestSupport.NewMessage))
                .AddChildContent<RenderProbe>(_ => { }));
            provider.WaitForAssertion(() => Assert.Equal("disabled", provider.Shown(TestSupport.NewMessage)));
            visitorId = provider.Support().Client.VisitorId!;

            var minted = await RecordedRequestAsync(emulator, request => request.Path == "/v1/websites", "GET /websites");
            Assert.Null(minted.Header("X-Visitor-Id"));
            Assert.Equal(200, minted.StatusCode);
            var stored = Assert.Single(firstVisit.JSInterop.Invocations["localStorage.setItem"]);
            Assert.Equal([VisitorIdKey, visitorId], stored.Arguments);
        }

        await AddOwnFlagsAsync(emulator, visitorId, TestSupport.NewMessage);
        emulator.ClearRequests();
        await using var nextVisit = Create(emulator, storedVisitorId: visitorId);
        var returning = nextVisit.Render<SupportProvider>(p => p
            .AddChildContent<FeatureFlagView>(FlagView(TestSupport.NewMessage))
            .AddChildContent<RenderProbe>(_ => { }));
        returning.WaitForAssertion(() => Assert.Equal("enabled", returning.Shown(TestSupport.NewMessage)));

        Assert.Equal(visitorId, returning.Support().Client.VisitorId);
        var website = await RecordedRequestAsync(emulator, request => request.Path == "/v1/websites", "GET /websites");
        Assert.Equal(visitorId, website.Header("X-Visitor-Id"));
        Assert.Equal(200, website.StatusCode);
        Assert.Single(emulator.Requests, request => request.Path == "/v1/websites");
        Assert.Single(nextVisit.JSInterop.Invocations["localStorage.getItem"]);
    }
}
