using System.Text.Json.Nodes;
using Cossistant.Client.Testing;
using Cossistant.Client.Tool.Seeding;

namespace Cossistant.Client.Tool.Emulator;

/// <summary>What <c>cossistant emulator</c> prints once it listens: the URLs, the throwaway keys and the seeded ids.</summary>
internal static class EmulatorOutput
{
    /// <summary>Writes the settings as text (environment variable lines) or as one JSON object line.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="json">Whether to write JSON.</param>
    /// <param name="emulator">The running emulator.</param>
    /// <param name="websites">Its websites, the default one first.</param>
    public static void Write(ToolConsole console, bool json, CossistantEmulator emulator, IReadOnlyList<SeededWebsite> websites)
    {
        var main = websites[0];
        if (json)
        {
            console.WriteJson(new JsonObject
            {
                ["apiUrl"] = emulator.ApiUrl.ToString(),
                ["realtimeUrl"] = emulator.RealtimeUrl.ToString(),
                ["websiteId"] = main.Website.Id,
                ["publicKey"] = main.Website.PublicKey,
                ["privateApiKey"] = main.Website.PrivateApiKey,
                ["origin"] = main.Origin,
                ["allowedDomains"] = Array(main.Website.AllowedDomains),
                ["websites"] = new JsonArray([.. websites.Select(Website)]),
            });
            return;
        }

        console.WriteLine("Cossistant emulator running. Point any Cossistant client (.NET, TypeScript, curl) at:");
        console.WriteLine($"  COSSISTANT_API_URL={emulator.ApiUrl}");
        console.WriteLine($"  COSSISTANT_WS_URL={emulator.RealtimeUrl}");
        console.WriteLine($"  COSSISTANT_PUBLIC_KEY={main.Website.PublicKey}");
        console.WriteLine($"  COSSISTANT_PRIVATE_API_KEY={main.Website.PrivateApiKey}");
        console.WriteLine($"  COSSISTANT_ORIGIN={main.Origin}");
        foreach (var site in websites)
        {
            var website = site.Website;
            console.WriteLine($"website {website.Id} \"{website.Name}\" ({website.Domain}), Origin allowlist: {string.Join(", ", website.AllowedDomains)} (and subdomains)");
            if (!ReferenceEquals(site, main))
            {
                console.WriteLine($"  public key {website.PublicKey}, private key {website.PrivateApiKey}");
            }

            WriteIds(console, "organization", site.Organizations);
            WriteIds(console, "contact", site.Contacts);
            WriteIds(console, "visitor", site.Visitors);
        }

        console.WriteLine("These keys are throwaway keys of this process only. Stop with Ctrl+C (or SIGTERM, SIGQUIT).");
    }

    private static void WriteIds(ToolConsole console, string kind, IReadOnlyList<KeyValuePair<string, string>> ids)
    {
        foreach (var (key, id) in ids)
        {
            console.WriteLine(key == id ? $"  {kind} {id}" : $"  {kind} {key}: {id}");
        }
    }

    private static JsonNode Website(SeededWebsite site) => new JsonObject
    {
        ["id"] = site.Website.Id,
        ["name"] = site.Website.Name,
        ["domain"] = site.Website.Domain,
        ["publicKey"] = site.Website.PublicKey,
        ["privateApiKey"] = site.Website.PrivateApiKey,
        ["origin"] = site.Origin,
        ["allowedDomains"] = Array(site.Website.AllowedDomains),
        ["organizations"] = Ids(site.Organizations),
        ["contacts"] = Ids(site.Contacts),
        ["visitors"] = Ids(site.Visitors),
    };

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(value => (JsonNode)value)]);

    private static JsonObject Ids(IReadOnlyList<KeyValuePair<string, string>> ids) =>
        new(ids.Select(pair => new KeyValuePair<string, JsonNode?>(pair.Key, pair.Value)));
}
