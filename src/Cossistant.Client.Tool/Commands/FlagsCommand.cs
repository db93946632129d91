using System.CommandLine;
using System.Text.Json.Nodes;
using Cossistant.Client.Tool.Admin;

namespace Cossistant.Client.Tool.Commands;

/// <summary><c>cossistant flags add|remove|set (--visitor|--contact|--organization) ID NAMES...</c>.</summary>
internal static class FlagsCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="json">The shared <c>--json</c> option.</param>
    /// <returns>The command.</returns>
    public static Command Create(ToolConsole console, Option<bool> json)
    {
        var command = new Command(
            "flags",
            "Change the feature flags a visitor, a contact or a contact organization holds itself (PATCH /support/feature-flags). "
            + "A visitor sees the union of its own, its contact's and the organization's flags. Needs the private key in "
            + $"{AdminRunner.PrivateKeyVariable}; the API is {AdminRunner.ApiUrlVariable} (default {CossistantClientOptions.DefaultApiUrl}). "
            + "Flag names are checked before any request: non-empty, no comma, no leading or trailing whitespace.");
        command.Subcommands.Add(Operation(console, json, "add", FeatureFlagOperation.Add, "Add flags to the target's own flags."));
        command.Subcommands.Add(Operation(console, json, "remove", FeatureFlagOperation.Remove, "Remove flags from the target's own flags (absent flags are ignored)."));
        command.Subcommands.Add(Operation(console, json, "set", FeatureFlagOperation.Set, "Replace the target's own flags; with no names, clear them."));
        return command;
    }

    private static Command Operation(ToolConsole console, Option<bool> json, string name, FeatureFlagOperation operation, string description)
    {
        var target = new TargetOptions();
        var names = new Argument<string[]>("NAMES")
        {
            Description = "The flag names, e.g. new-message billing-v2.",
            Arity = operation == FeatureFlagOperation.Set ? ArgumentArity.ZeroOrMore : ArgumentArity.OneOrMore,
        };
        var command = new Command(name, description + " Prints the target's own flags after the change (JSON: {\"target\":{\"type\",\"id\"},\"operation\",\"flags\"}). " + ExitCodes.HelpText);
        target.AddTo(command);
        command.Arguments.Add(names);
        command.SetAction((parse, cancellationToken) =>
        {
            var asJson = parse.GetValue(json);
            return AdminRunner.RunAsync(console, asJson, () =>
            {
                var flagTarget = target.Read(parse);
                var flags = (parse.GetValue(names) ?? []).Select(CheckName).ToList();
                return (context, token) => MutateAsync(context, flagTarget, operation, flags, token);
            }, cancellationToken);
        });
        return command;
    }

    private static FeatureFlag CheckName(string name)
    {
        try
        {
            return new FeatureFlag(name); // the SDK's rule for a declared flag
        }
        catch (ArgumentException exception)
        {
            throw ToolInputException.From($"flag name \"{name}\"", exception);
        }
    }

    private static async Task MutateAsync(
        AdminContext context, FeatureFlagTarget target, FeatureFlagOperation operation, List<FeatureFlag> flags, CancellationToken cancellationToken)
    {
        if (target.Type == FeatureFlagTargetType.Visitor)
        {
            await context.CheckVisitorIdAsync(target.Id).ConfigureAwait(false);
        }

        var result = await context.Server.MutateSupportFeatureFlagsAsync(target, operation, flags, cancellationToken).ConfigureAwait(false);
        var (text, wire) = TargetOptions.Names(target.Type);
        if (context.Json)
        {
            context.Console.WriteJson(new JsonObject
            {
                ["target"] = new JsonObject { ["type"] = wire, ["id"] = result.Target.Id },
                ["operation"] = operation switch { FeatureFlagOperation.Add => "add", FeatureFlagOperation.Remove => "remove", _ => "set" },
                ["flags"] = new JsonArray([.. result.Flags.Select(flag => (JsonNode)flag)]),
            });
            return;
        }

        var names = StateOutput.List(flags.Select(flag => flag.Name));
        var line = operation switch
        {
            FeatureFlagOperation.Add => $"Added {names} to {text} {target.Id}.",
            FeatureFlagOperation.Remove => $"Removed {names} from {text} {target.Id}.",
            _ when flags.Count == 0 => $"Cleared the flags of {text} {target.Id}.",
            _ => $"Set the flags of {text} {target.Id} to {names}.",
        };
        context.Console.WriteLine(line);
        context.Console.WriteLine($"Its own flags now: {StateOutput.List(result.Flags)}");
    }
}
