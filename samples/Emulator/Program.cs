// Runs the Cossistant emulator on its own, so any Cossistant client (any language) can be pointed at it.
//   dotnet run --project samples/Emulator                 # ephemeral port, runs until Ctrl+C
//   dotnet run --project samples/Emulator -- --port 8787  # a fixed port
//   dotnet run --project samples/Emulator -- --once       # print the settings and exit (a smoke check)
using System.Globalization;
using Cossistant.Client.Testing;

var port = 0;
var once = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p):
            port = p;
            i++;
            break;
        case "--once":
            once = true;
            break;
        default:
            Console.Error.WriteLine($"Unknown argument \"{args[i]}\". Use --port N and/or --once.");
            return 2;
    }
}

await using var emulator = await CossistantEmulator.StartAsync(port);
var website = emulator.DefaultWebsite;
Console.WriteLine("Cossistant emulator running.");
Console.WriteLine($"  COSSISTANT_API_URL={emulator.ApiUrl}");
Console.WriteLine($"  COSSISTANT_WS_URL={emulator.RealtimeUrl}");
Console.WriteLine($"  COSSISTANT_PUBLIC_KEY={website.PublicKey}");
Console.WriteLine($"  COSSISTANT_PRIVATE_API_KEY={website.PrivateApiKey}");
Console.WriteLine($"  COSSISTANT_ORIGIN={CossistantEmulator.DefaultOrigin}");
Console.WriteLine($"  website {website.Id} \"{website.Name}\", Origin allowlist: {string.Join(", ", website.AllowedDomains)} (and subdomains)");
Console.WriteLine("These are throwaway keys of this process only. Press Ctrl+C to stop.");
if (once)
{
    return 0;
}

var stopped = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.TrySetResult();
};
await stopped.Task;
return 0;
