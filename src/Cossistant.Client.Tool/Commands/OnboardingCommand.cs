using System.CommandLine;
using System.Text.Json;
using Cossistant.Client.Tool.Admin;

namespace Cossistant.Client.Tool.Commands;

/// <summary><c>cossistant onboarding complete|uncomplete|set-metadata|reset --visitor ID ...</c> (PATCH /support/onboarding).</summary>
internal static class OnboardingCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="json">The shared <c>--json</c> option.</param>
    /// <returns>The command.</returns>
    public static Command Create(ToolConsole console, Option<bool> json)
    {
        var command = new Command(
            "onboarding",
            "Change a visitor's onboarding progress (written to its contact once the visitor is identified, as the API does). "
            + "Each prints the visitor's state afterwards, like `cossistant state`. "
            + $"Needs {AdminRunner.PrivateKeyVariable}.");

        command.Subcommands.Add(StepCommand(console, json, "complete", "Mark a step completed ({\"stepId\",\"completed\":true}).", OnboardingUpdate.Complete, "Completed"));
        command.Subcommands.Add(StepCommand(console, json, "uncomplete", "Mark a step not completed ({\"stepId\",\"completed\":false}).", OnboardingUpdate.Uncomplete, "Uncompleted"));
        command.Subcommands.Add(MetadataCommand(console, json));

        var visitor = VisitorOption.Create();
        var reset = new Command("reset", "Clear all of the visitor's onboarding progress ({\"reset\":true}). " + ExitCodes.HelpText) { Options = { visitor } };
        reset.SetAction((parse, cancellationToken) =>
            Run(console, parse, json, parse.GetValue(visitor)!, OnboardingUpdate.Reset, "Reset the onboarding", cancellationToken));
        command.Subcommands.Add(reset);
        return command;
    }

    private static Command StepCommand(
        ToolConsole console, Option<bool> json, string name, string description, Func<string, OnboardingUpdate> update, string verb)
    {
        var visitor = VisitorOption.Create();
        var step = StepArgument();
        var command = new Command(name, description + " " + ExitCodes.HelpText) { Options = { visitor }, Arguments = { step } };
        command.SetAction((parse, cancellationToken) =>
        {
            var stepId = parse.GetValue(step)!;
            return Run(console, parse, json, parse.GetValue(visitor)!, () => update(stepId), $"{verb} step {stepId}", cancellationToken);
        });
        return command;
    }

    private static Command MetadataCommand(ToolConsole console, Option<bool> json)
    {
        var visitor = VisitorOption.Create();
        var step = StepArgument();
        var metadata = new Argument<string>("JSON")
        {
            Description = "The step's metadata: a JSON object, which replaces the stored one (never merged), or null to clear it.",
        };
        var command = new Command(
            "set-metadata",
            "Replace a step's metadata ({\"stepId\",\"metadata\":{...}}); null clears it. Quote the JSON for your shell, e.g. '{\"workspaceName\":\"Acme\"}'. "
            + ExitCodes.HelpText)
        {
            Options = { visitor },
            Arguments = { step, metadata },
        };
        command.Aliases.Add("metadata");
        command.SetAction((parse, cancellationToken) =>
        {
            var stepId = parse.GetValue(step)!;
            var text = parse.GetValue(metadata)!;
            return Run(console, parse, json, parse.GetValue(visitor)!, () => OnboardingUpdate.SetMetadata(stepId, ParseMetadata(text)), $"Set the metadata of step {stepId}", cancellationToken);
        });
        return command;
    }

    private static Argument<string> StepArgument() => new("STEP") { Description = "The onboarding step id, e.g. workspace (non-empty)." };

    private static JsonElement? ParseMetadata(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Null ? null : document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new ToolInputException($"metadata is not valid JSON: {exception.Message}", exception);
        }
    }

    private static Task<int> Run(
        ToolConsole console, ParseResult parse, Option<bool> json, string visitorId, Func<OnboardingUpdate> update, string done, CancellationToken cancellationToken) =>
        AdminRunner.RunAsync(console, parse.GetValue(json), () =>
        {
            OnboardingUpdate checkedUpdate;
            try
            {
                checkedUpdate = update(); // the SDK's checks: a non-empty step id, metadata an object or null
            }
            catch (ArgumentException exception)
            {
                throw ToolInputException.From("onboarding update", exception);
            }

            return async (context, token) =>
            {
                var state = await StateCommand.Call(
                    visitorId, () => context.Server.UpdateVisitorOnboardingAsync(visitorId, checkedUpdate, token)).ConfigureAwait(false);
                if (!context.Json)
                {
                    context.Console.WriteLine($"{done} for visitor {visitorId}.");
                }

                StateOutput.Write(context, visitorId, state);
            };
        }, cancellationToken);
}
