using System.CommandLine;

namespace Cossistant.Client.Tool.Commands;

/// <summary>The required <c>--visitor ID</c> option of <c>state</c> and <c>onboarding</c>.</summary>
internal static class VisitorOption
{
    /// <summary>Creates the option.</summary>
    /// <returns>A new option (a command owns its own).</returns>
    public static Option<string> Create() => new("--visitor")
    {
        Description = "The visitor's id (a ULID, as GET /websites issues it). Checked before any request.",
        HelpName = "ID",
        Required = true,
    };
}
