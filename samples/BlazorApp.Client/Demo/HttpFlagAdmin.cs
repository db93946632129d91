using System.Net.Http.Json;

namespace BlazorApp.Client.Demo;

/// <summary>In the browser: asks the app's server to flip the flag (the private key never leaves the server).</summary>
internal sealed class HttpFlagAdmin(HttpClient http) : IFlagAdmin
{
    public async Task<bool> ToggleAsync(string visitorId, string flag)
    {
        using var response = await http.PostAsync(new Uri($"api/flags/{visitorId}/{flag}/toggle", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(DemoJson.Default.Boolean);
    }
}
