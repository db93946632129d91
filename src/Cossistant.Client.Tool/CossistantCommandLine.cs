using System.CommandLine;
using System.CommandLine.Invocation;
using Cossistant.Client.Tool.Admin;
using Cossistant.Client.Tool.Commands;

namespace Cossistant.Client.Tool;

/// <summary>The <c>cossistant</c> command line: the commands, parsing, and the exit code of a parse error.</summary>
internal static class CossistantCommandLine
{
    /// <summary>Creates the root command with every subcommand.</summary>
    /// <param name="console">Where commands write.</param>
    /// <returns>The root command.</returns>
    public static RootCommand Create(ToolConsole console)
    {
        var json = new Option<bool>("--json")
        {
            Description = "Write the result as one JSON object line on standard output (errors as one JSON object line on standard error).",
            Recursive = true,
        };
        var root = new RootCommand(
            "Cossistant from the command line: run the API emulator for local development and tests, and change feature flags "
            + "and onboarding or read a visitor's support state from scripts. The admin commands (flags, state, onboarding) read "
            + $"the private key from {AdminRunner.PrivateKeyVariable} (never from an argument) and the API from "
            + $"{AdminRunner.ApiUrlVariable} (default {CossistantClientOptions.DefaultApiUrl}). " + ExitCodes.HelpText)
        {
            Options = { json },
        };
        root.Subcommands.Add(EmulatorCommand.Create(console, json));
        root.Subcommands.Add(FlagsCommand.Create(console, json));
        root.Subcommands.Add(StateCommand.Create(console, json));
        root.Subcommands.Add(OnboardingCommand.Create(console, json));
        return root;
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="console">Where commands write.</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>; a parse error is <see cref="ExitCodes.BadInput"/>).</returns>
    public static async Task<int> RunAsync(string[] args, ToolConsole console)
    {
        // No response files: a flag name starting with '@' is a name, not a file to read.
        var parse = Create(console).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var invocation = new InvocationConfiguration
        {
            // Ctrl+C and SIGTERM cancel the command's token; the emulator then stops within this time.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(10),
        };
        if (parse.Action is ParseErrorAction errors)
        {
            errors.ShowHelp = false;
            await parse.InvokeAsync(invocation).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        return await parse.InvokeAsync(invocation).ConfigureAwait(false);
    }
}
