using System.Net;
using System.Net.Http.Json;
using AspNetCoreSample;
using Cossistant.Client;
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
        var checks = new List<(string What, bool Held)>();

        var on = await http.PutAsync(new Uri($"/visitors/{visitorId}/flags/new-message", UriKind.Relative), null);
        var flags = await http.GetFromJsonAsync<string[]>(new Uri($"/visitors/{visitorId}/flags", UriKind.Relative));
        checks.Add(($"PUT flag {(int)on.StatusCode}, the server client's cached read shows [{string.Join(", ", flags ?? [])}]", on.IsSuccessStatusCode && flags is ["new-message"]));

        using var asVisitor = new HttpClient { BaseAddress = new Uri(url) };
        asVisitor.DefaultRequestHeaders.Add("X-Visitor-Id", visitorId);
        var mine = await asVisitor.GetFromJsonAsync<VisitorSupport>(new Uri("/me/support", UriKind.Relative));
        checks.Add(($"GET /me/support (scoped session): new-message {mine?.NewMessage}, current step {mine?.CurrentStep}", mine is { NewMessage: true, CurrentStep: "workspace" }));

        var completed = await asVisitor.PostAsync(new Uri("/me/onboarding/workspace/complete", UriKind.Relative), null);
        mine = await asVisitor.GetFromJsonAsync<VisitorSupport>(new Uri("/me/support", UriKind.Relative));
        var stored = emulator.GetSupportState(visitorId).Onboarding.TryGetStep("workspace", out var step) && step.Completed;
        checks.Add(($"POST complete {(int)completed.StatusCode}: the next request's session shows {mine?.CurrentStep}, the server stored it: {stored}", completed.IsSuccessStatusCode && mine?.CurrentStep == "invite-team" && stored));

        var off = await http.DeleteAsync(new Uri($"/visitors/{visitorId}/flags/new-message", UriKind.Relative));
        var after = await http.GetFromJsonAsync<string[]>(new Uri($"/visitors/{visitorId}/flags", UriKind.Relative));
        checks.Add(($"DELETE flag {(int)off.StatusCode}: the cached read shows [{string.Join(", ", after ?? [])}] at once", off.IsSuccessStatusCode && after is []));

        var anonymous = await http.GetAsync(new Uri("/me/support", UriKind.Relative));
        checks.Add(($"GET /me/support without a visitor: {(int)anonymous.StatusCode}", anonymous.StatusCode == HttpStatusCode.BadRequest));

        foreach (var (what, held) in checks)
        {
            Console.WriteLine($"  [{(held ? "ok" : "FAILED")}] {what}");
        }

        var ok = checks.TrueForAll(check => check.Held);
        Console.WriteLine(ok ? "Self-test passed." : "Self-test FAILED.");
        return ok ? 0 : 1;
    }
}
