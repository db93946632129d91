using System.CommandLine;

namespace Cossistant.Client.Tool.Commands;

/// <summary><c>--visitor</c>, <c>--contact</c>, <c>--organization</c>: whose flags a <c>flags</c> command changes (exactly one).</summary>
internal sealed class TargetOptions
{
    private readonly Option<string> _visitor = new("--visitor")
    {
        Description = "The visitor's id (a ULID, as GET /websites issues it).",
        HelpName = "ID",
    };

    private readonly Option<string> _contact = new("--contact")
    {
        Description = "The contact's id: every visitor linked to the contact sees the flag.",
        HelpName = "ID",
    };

    private readonly Option<string> _organization = new("--organization")
    {
        Description = "The contact organization's id: every visitor of every contact in it sees the flag.",
        HelpName = "ID",
    };

    /// <summary>Adds the three options to a command, with a check that exactly one is given.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Options.Add(_visitor);
        command.Options.Add(_contact);
        command.Options.Add(_organization);
        command.Validators.Add(result =>
        {
            var given = new[] { _visitor, _contact, _organization }.Count(option => result.GetResult(option) is not null);
            if (given != 1)
            {
                result.AddError("Give exactly one target: --visitor ID, --contact ID or --organization ID.");
            }
        });
    }

    /// <summary>The target given on the command line, built with the SDK's own checks.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>The target.</returns>
    /// <exception cref="ToolInputException">The id is empty.</exception>
    public FeatureFlagTarget Read(ParseResult parse)
    {
        var (option, type) = parse.GetResult(_visitor) is not null ? (_visitor, FeatureFlagTargetType.Visitor)
            : parse.GetResult(_contact) is not null ? (_contact, FeatureFlagTargetType.Contact)
            : (_organization, FeatureFlagTargetType.ContactOrganization);
        var id = parse.GetValue(option) ?? string.Empty;
        try
        {
            return new FeatureFlagTarget(type, id);
        }
        catch (ArgumentException exception)
        {
            throw ToolInputException.From($"{option.Name} \"{id}\"", exception);
        }
    }

    /// <summary>How a target type reads in text output and in JSON (the API's names).</summary>
    /// <param name="type">The type.</param>
    /// <returns>The text name and the wire name.</returns>
    public static (string Text, string Wire) Names(FeatureFlagTargetType type) => type switch
    {
        FeatureFlagTargetType.Visitor => ("visitor", "visitor"),
        FeatureFlagTargetType.Contact => ("contact", "contact"),
        _ => ("organization", "contactOrganization"),
    };
}
