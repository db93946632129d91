// The testing-kit code shown in README.md ("Testing with the emulator"): real tests, compiled and run. ReadmeSnippetTests
// checks that every C# block of the README appears verbatim in this folder's Readme*Snippets.cs files or in samples/.
// The README shows the calls without a CancellationToken (xUnit1051), as an app's own tests would usually write them.
#pragma warning disable CA2007, xUnit1051
using Cossistant.Client.Testing;
#if COSSISTANT_SAMPLE_TESTS
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
#endif

namespace Cossistant.Client.IntegrationTests.Readme;

/// <summary>The README's emulator test: seeding a visitor, waiting for the flag, waiting for a recorded request.</summary>
public sealed class ReadmeEmulatorTests
{
    [Fact]
    public async Task BillingScreen_ShowsOnceTheServerTurnsTheFlagOn()
    {
        await using var emulator = await CossistantEmulator.StartAsync();
        var options = emulator.CreateClientOptions();
        options.Support = Support.Config;
        await using var client = new CossistantClient(options);
        await client.FetchWebsiteAsync();          // the emulator creates the visitor
        await client.FetchSupportStateAsync();
        await client.ConnectRealtimeAsync();

        // One call sets the visitor's own flags and onboarding; its open sockets hear it (supportStateUpdated).
        emulator.SeedVisitor(seed => seed
            .VisitorId(client.VisitorId!)
            .WithFlags(Support.BillingV2)
            .WithStep(Support.Workspace, new WorkspaceMetadata("Acme")));   // completed, with typed metadata

        // Wait for the change itself, not a sleep: bounded (5 s by default), and the TimeoutException says what was
        // awaited and what the state is.
        await client.WaitForFeatureFlagAsync(Support.BillingV2, enabled: true);
        Assert.Equal(Support.InviteTeam.Id, client.GetOnboarding().CurrentStepId);

        // The emulator records a request once it has answered it: wait for the record instead of reading Requests.
        await client.CompleteOnboardingStepAsync(Support.InviteTeam);
        RecordedRequest patch = await emulator.WaitForRequestAsync(r => r.Method == "PATCH" && r.Path == "/v1/support/onboarding");
        Assert.Contains("invite-team", patch.Body, StringComparison.Ordinal);
    }
}

#if COSSISTANT_SAMPLE_TESTS
/// <summary>The README's WebApplicationFactory test, on the ASP.NET Core sample (net10.0 only, as the samples).</summary>
public sealed class ReadmeWebApplicationFactoryTests
{
    [Fact]
    public async Task MeSupport_AnswersTheSeededVisitorsFlags()
    {
        await using var emulator = await CossistantEmulator.StartAsync();
        var visitorId = emulator.SeedVisitor(seed => seed.WithFlags("new-message"));

        // The app's own AddCossistant registration, pointed at the emulator: its URLs, Origin and keys.
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.UseCossistantEmulator(emulator)));
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Add("X-Visitor-Id", visitorId);

        var support = await http.GetStringAsync(new Uri("/me/support", UriKind.Relative));

        Assert.Contains("\"newMessage\":true", support, StringComparison.Ordinal);
        var read = await emulator.WaitForRequestAsync(r => r.Path == "/v1/support/state" && r.Header("X-Visitor-Id") == visitorId);
        Assert.Equal(200, read.StatusCode);
    }
}
#endif
