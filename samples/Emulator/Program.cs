// Runs the Cossistant emulator on its own, so any Cossistant client (any language) can be pointed at it.
//   dotnet run --project samples/Emulator                 # ephemeral port, runs until Ctrl+C or SIGTERM (exit code 0)
//   dotnet run --project samples/Emulator -- --port 8787  # a fixed port; in use: one line on stderr, exit code 1
//   dotnet run --project samples/Emulator -- --once       # print the settings and exit (a smoke check)
using System.Globalization;
using System.Runtime.InteropServices;
using Cossistant.Client.Testing;
using Microsoft.AspNetCore.Connections;

const string Host = "127.0.0.1";
var port = 0;
var once = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535:
            port = p;
            i++;
            break;
        case "--port":
            Console.Error.WriteLine($"--port needs a number from 0 to 65535 (0 picks a free port), not \"{(i + 1 < args.Length ? args[i + 1] : string.Empty)}\".");
            return 2;
        case "--once":
            once = true;
            break;
        default:
            Console.Error.WriteLine($"Unknown argument \"{args[i]}\". Use --port N and/or --once.");
            return 2;
    }
}

// Ctrl+C (SIGINT), SIGTERM (docker stop, systemd, kill) and SIGQUIT stop the emulator and end the process with exit
// code 0; registered before the start, so a signal that arrives while it starts is not lost.
var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopped.TrySetResult();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

CossistantEmulator emulator;
try
{
    emulator = await CossistantEmulator.StartAsync(port);
}
catch (IOException exception) when (exception.InnerException is AddressInUseException)
{
    Console.Error.WriteLine($"Port {port} is already in use on {Host}; pass --port N (another port, or 0 for a free one) or stop the other process.");
    return 1;
}

await using (emulator)
{
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

    await stopped.Task;
}

Console.WriteLine("Cossistant emulator stopped.");
return 0;
