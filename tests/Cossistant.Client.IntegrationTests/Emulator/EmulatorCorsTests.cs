using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>Browsers call the API from the app's origin: the emulator answers preflights and allows any origin, as the API does.</summary>
public sealed class EmulatorCorsTests
{
    [Fact]
    public async Task Preflight_ForAVisitorCall_204WithTheRequestedHeadersAllowed()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        using var http = new HttpClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(emulator.ApiUrl + "/support/onboarding"));
        preflight.Headers.Add("Origin", "http://localhost:5000");
        preflight.Headers.Add("Access-Control-Request-Method", "PATCH");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-public-key,x-visitor-id");

        using var response = await http.SendAsync(preflight, Ct);

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal("*", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("PATCH", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        Assert.Equal("content-type,x-public-key,x-visitor-id", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")));
    }

    [Fact]
    public async Task EveryAnswer_AllowsAnyOrigin_AlsoARefusal()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        using var http = new HttpClient();
        using var refused = await http.GetAsync(new Uri(emulator.ApiUrl + "/websites"), Ct); // no key: 401

        Assert.Equal(401, (int)refused.StatusCode);
        Assert.Equal("*", string.Join(",", refused.Headers.GetValues("Access-Control-Allow-Origin")));
    }
}
