#if COSSISTANT_SAMPLE_TESTS
using System.Net.Http.Json;
using System.Text.Json;
using Cossistant.Client.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Cossistant.Client.IntegrationTests.TestingKit.KitSupport;

namespace Cossistant.Client.IntegrationTests.TestingKit;

/// <summary>
/// The real ASP.NET Core sample in a <see cref="WebApplicationFactory{TEntryPoint}"/>, with one line in
/// <c>ConfigureTestServices</c>: <c>services.UseCossistantEmulator(emulator)</c>. The sample configures an emulator of
/// its own when it has no Cossistant configuration, so reading what was seeded on the test's emulator proves the
/// override won. It starts that emulator in its Program before building its own host, so this also proves the factory
/// takes the app's host, not the emulator's (see <see cref="EmulatorHostingTests"/>).
/// </summary>
public sealed class AspNetCoreSampleTests
{
    [Fact]
    public async Task WebApplicationFactory_UseCossistantEmulator_TheSampleReadsTheVisitorSeededOnTheTestsEmulator()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.SeedVisitor(seed => seed
            .WithFlags("new-message", "seeded-here")
            .WithCompletedStep(new OnboardingStep("workspace")));
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.UseCossistantEmulator(emulator)));
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Add("X-Visitor-Id", visitorId);

        var support = await http.GetFromJsonAsync<JsonElement>(new Uri("/me/support", UriKind.Relative), Ct);

        Emulator.EmulatorTestKit.AssertJsonEqual("""{"flags":["new-message","seeded-here"],"newMessage":true,"currentStep":"invite-team"}""", support.GetRawText());
        var request = await emulator.WaitForRequestAsync(r => r.Path == "/v1/support/state" && r.Header("X-Visitor-Id") == visitorId, Bound, Ct);
        Assert.Equal(200, request.StatusCode);
        Assert.Equal("Bearer " + emulator.DefaultWebsite.PrivateApiKey, request.Header("Authorization"));
    }
}
#endif
