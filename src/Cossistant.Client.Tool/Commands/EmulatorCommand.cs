using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Cossistant.Client.Testing;
using Cossistant.Client.Tool.Admin;
using Cossistant.Client.Tool.Emulator;
using Cossistant.Client.Tool.Seeding;
using Microsoft.AspNetCore.Connections;

namespace Cossistant.Client.Tool.Commands;

/// <summary><c>cossistant emulator [--port N] [--seed FILE] [--json]</c>: the Cossistant API on 127.0.0.1 until Ctrl+C, SIGTERM or SIGQUIT.</summary>
internal static class EmulatorCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="json">The shared <c>--json</c> option.</param>
    /// <returns>The command.</returns>
    public static Command Create(ToolConsole console, Option<bool> json)
    {
        var port = new Option<int>("--port")
        {
            Description = "The port on 127.0.0.1 to listen on; 0 (the default) picks a free one.",
            HelpName = "N",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 65535)
                {
                    return value;
                }

                result.AddError($"--port must be a number from 0 to 65535, not \"{text}\".");
                return 0;
            },
        };
        var seed = new Option<string>("--seed")
        {
            Description = "A JSON file of websites, organizations, contacts and visitors with their flags and onboarding to create at start (format: README, \"From the command line\").",
            HelpName = "FILE",
        };
        var command = new Command(
            "emulator",
            "Run the Cossistant API emulator (REST and realtime socket, the API's rules) on 127.0.0.1 until Ctrl+C, SIGTERM or SIGQUIT, "
            + "and print its API URL, realtime URL, website id, throwaway public and private keys and an allowed Origin "
            + "(with --json: one JSON object line with apiUrl, realtimeUrl, websiteId, publicKey, privateApiKey, origin, allowedDomains, websites). "
            + "Exit codes: 0 stopped by Ctrl+C, SIGTERM or SIGQUIT; 1 the port is in use or the emulator failed; 2 bad arguments or seed file.")
        {
            Options = { port, seed },
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(console, parse.GetValue(json), parse.GetValue(port), parse.GetValue(seed), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ToolConsole console, bool json, int port, string? seedPath, CancellationToken cancellationToken)
    {
        SeedFile? seed;
        try
        {
            seed = seedPath is null ? null : SeedFile.Load(seedPath);
        }
        catch (ToolInputException exception)
        {
            return AdminRunner.Report(console, json, exception, cancellationToken);
        }

        // Ctrl+C and SIGTERM cancel the command's token (System.CommandLine); SIGQUIT stops it too, as the sample does.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        cancellationToken = stop.Token;

        CossistantEmulator emulator;
        try
        {
            emulator = await CossistantEmulator.StartAsync(port, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception) when (exception.InnerException is AddressInUseException)
        {
            var failure = new IOException(
                $"Port {port} is already in use on 127.0.0.1; pass --port N (another port, or 0 for a free one) or stop the other process.", exception);
            return AdminRunner.Report(console, json, failure, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok; // stopped while starting
        }
        catch (Exception exception)
        {
            return AdminRunner.Report(console, json, exception, cancellationToken);
        }

        await using (emulator.ConfigureAwait(false))
        {
            IReadOnlyList<SeededWebsite> websites;
            try
            {
                websites = await Seeder.ApplyAsync(emulator, seed, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Ok; // stopped while seeding
            }
            catch (Exception exception)
            {
                return AdminRunner.Report(console, json, exception, cancellationToken);
            }

            EmulatorOutput.Write(console, json, emulator, websites);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C, SIGTERM or SIGQUIT: stop cleanly.
            }
        }

        if (!json)
        {
            console.WriteLine("Cossistant emulator stopped.");
        }

        return ExitCodes.Ok;
    }
}
