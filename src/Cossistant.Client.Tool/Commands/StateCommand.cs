using System.CommandLine;
using Cossistant.Client.Tool.Admin;

namespace Cossistant.Client.Tool.Commands;

/// <summary><c>cossistant state --visitor ID</c>: what the visitor sees (GET /support/state).</summary>
internal static class StateCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="json">The shared <c>--json</c> option.</param>
    /// <returns>The command.</returns>
    public static Command Create(ToolConsole console, Option<bool> json)
    {
        var visitor = VisitorOption.Create();
        var command = new Command(
            "state",
            "Show a visitor's support state: its feature flags (the union of the visitor's, its contact's and the organization's) "
            + "and the onboarding it sees (the contact's once identified). JSON: {\"visitorId\",\"featureFlags\",\"onboarding\":{\"steps\"}}, "
            + $"the API's shape. Needs {AdminRunner.PrivateKeyVariable}. " + ExitCodes.HelpText)
        {
            Options = { visitor },
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var visitorId = parse.GetValue(visitor)!;
            return AdminRunner.RunAsync(console, parse.GetValue(json), () => async (context, token) =>
            {
                var state = await Call(visitorId, () => context.Server.GetVisitorSupportStateAsync(visitorId, token)).ConfigureAwait(false);
                StateOutput.Write(context, visitorId, state);
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs a server-client call whose argument checks (the visitor id) come back as the tool's bad input.</summary>
    /// <param name="visitorId">The visitor id, for the message.</param>
    /// <param name="call">The call.</param>
    /// <returns>The state.</returns>
    public static async Task<SupportState> Call(string visitorId, Func<Task<SupportState>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ArgumentException exception)
        {
            throw ToolInputException.From($"--visitor \"{visitorId}\"", exception);
        }
    }
}
