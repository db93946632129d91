using System.Net.Http.Json;
using Cossistant.Client.Testing;

/// <summary>Calls the sample's own endpoints once against the emulator and reports whether they behaved.</summary>
internal static class SelfTest
{
    public static async Task<int> RunAsync(string url, CossistantEmulator? emulator)
    {
        if (emulator is null)
        {
            Console.WriteLine("--self-test needs the emulator (no Cossistant configuration).");
            return 2;
        }

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var visitorId = emulator.CreateVisitor();
        var on = await http.PutAsync(new Uri($"/visitors/{visitorId}/flags/new-message", UriKind.Relative), null);
        var flags = await http.GetFromJsonAsync<string[]>(new Uri($"/visitors/{visitorId}/flags", UriKind.Relative));
        var off = await http.DeleteAsync(new Uri($"/visitors/{visitorId}/flags/new-message", UriKind.Relative));
        var after = await http.GetFromJsonAsync<string[]>(new Uri($"/visitors/{visitorId}/flags", UriKind.Relative));
        var ok = on.IsSuccessStatusCode && flags is ["new-message"] && off.IsSuccessStatusCode && after is [];
        Console.WriteLine($"PUT flag: {(int)on.StatusCode}, flags: [{string.Join(", ", flags ?? [])}], DELETE flag: {(int)off.StatusCode}, flags: [{string.Join(", ", after ?? [])}]");
        Console.WriteLine(ok ? "Self-test passed." : "Self-test FAILED.");
        return ok ? 0 : 1;
    }
}
