using Cossistant.Client.Tool.Tests.Infrastructure;

namespace Cossistant.Client.Tool.Tests;

/// <summary>Every command has help, and every command that can fail documents its exit codes there.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("emulator")]
    [InlineData("flags", "add")]
    [InlineData("flags", "remove")]
    [InlineData("flags", "set")]
    [InlineData("state")]
    [InlineData("onboarding", "complete")]
    [InlineData("onboarding", "uncomplete")]
    [InlineData("onboarding", "set-metadata")]
    [InlineData("onboarding", "reset")]
    public async Task Help_EveryCommand_DocumentsExitCodes(params string[] command)
    {
        var result = await CossistantTool.RunAsync([.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Exit codes: 0", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--json", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Root_ListsCommandsAndTheEnvironment()
    {
        var result = await CossistantTool.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var text in new[] { "emulator", "flags", "state", "onboarding", "COSSISTANT_PRIVATE_API_KEY", "COSSISTANT_API_URL", "Exit codes" })
        {
            Assert.Contains(text, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NoCommand_ExitsTwo()
    {
        var result = await CossistantTool.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.StderrLines);
    }
}
