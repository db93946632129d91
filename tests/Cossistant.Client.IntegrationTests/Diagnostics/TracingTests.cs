using System.Diagnostics;
using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Diagnostics;

/// <summary>One span per API operation, with the operation, route template, status and retry count; no keys.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task EveryOperation_HasOneSpanWithRouteStatusAndRetries_AndNoKeyOrVisitorId()
    {
        using var capture = new TelemetryCapture();
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        await using var client = new CossistantClient(options);
        await using var server = ServerApi(emulator);

        using (capture.StartRoot())
        {
            await client.FetchWebsiteAsync(Ct);
            emulator.Faults.FailNextRequests(2, 503, pathPrefix: "/v1/support/state");
            await client.FetchSupportStateAsync(cancellationToken: Ct);
            await client.CompleteOnboardingStepAsync("workspace", Ct);
            await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(client.VisitorId!), FeatureFlagOperation.Add, ["beta"], Ct);
            await client.IdentifyAsync(new IdentifyRequest { Email = "ana@acme.example" }, Ct);
        }

        var spans = capture.Spans;
        Assert.Equal(
            [
                "Cossistant FetchWebsite", "Cossistant FetchSupportState", "Cossistant UpdateOnboarding", "Cossistant MutateFeatureFlags",
                "Cossistant Identify", "Cossistant FetchSupportState", // identify refetches: the contact's flags and progress now apply
            ],
            spans.Select(span => span.DisplayName));
        var fetch = spans[1];
        Assert.Equal(ActivityKind.Client, fetch.Kind);
        Assert.Equal("FetchSupportState", fetch.GetTagItem("cossistant.operation"));
        Assert.Equal("GET", fetch.GetTagItem("http.request.method"));
        Assert.Equal("/support/state", fetch.GetTagItem("http.route"));
        Assert.Equal(200, fetch.GetTagItem("http.response.status_code"));
        Assert.Equal(2, fetch.GetTagItem("cossistant.retry_count"));
        Assert.Equal("success", fetch.GetTagItem("cossistant.outcome"));
        Assert.Equal(ActivityStatusCode.Ok, fetch.Status);
        Assert.Equal(emulator.ApiUrl.Port, fetch.GetTagItem("server.port"));
        Assert.Equal(
            ["/websites", "/support/state", "/support/onboarding", "/support/feature-flags", "/contacts/identify", "/support/state"],
            spans.Select(span => span.GetTagItem("http.route")));
        Assert.All(spans.Where(span => span != fetch), span => Assert.Equal(0, span.GetTagItem("cossistant.retry_count")));

        var secrets = new[] { options.PublicKey!, emulator.DefaultWebsite.PrivateApiKey, client.VisitorId! };
        foreach (var (name, value) in spans.SelectMany(span => span.TagObjects))
        {
            Assert.DoesNotContain("visitor", name, StringComparison.Ordinal);
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, $"{value}", StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task RefusedKey_SpanIsAnErrorWithTheStatusAsErrorType()
    {
        using var capture = new TelemetryCapture();
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.PublicKey = "pk_test_" + new string('0', 64);
        await using var client = new CossistantClient(options);

        using (capture.StartRoot())
        {
            await Assert.ThrowsAsync<CossistantAuthenticationException>(() => client.FetchWebsiteAsync(Ct));
        }

        var span = Assert.Single(capture.Spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("401", span.GetTagItem("error.type"));
        Assert.Equal("http_error", span.GetTagItem("cossistant.outcome"));
        Assert.Equal(401, span.GetTagItem("http.response.status_code"));
        Assert.DoesNotContain(options.PublicKey, span.StatusDescription ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TraceVisitorIds_OptIn_AddsTheVisitorIdToVisitorScopedSpans()
    {
        using var capture = new TelemetryCapture();
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator);
        options.TraceVisitorIds = true;
        await using var client = new CossistantClient(options);
        await client.FetchWebsiteAsync(Ct);

        using (capture.StartRoot())
        {
            await client.FetchSupportStateAsync(cancellationToken: Ct);
        }

        Assert.Equal(client.VisitorId, Assert.Single(capture.Spans).GetTagItem("cossistant.visitor.id"));
    }
}
