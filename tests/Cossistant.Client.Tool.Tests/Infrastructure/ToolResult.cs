namespace Cossistant.Client.Tool.Tests.Infrastructure;

/// <summary>What one finished run of the tool gave: its exit code and everything it wrote.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output and standard error together, for "never contains" checks.</summary>
    public string AllOutput => Stdout + "\n" + Stderr;

    /// <summary>The non-empty lines of standard error.</summary>
    public IReadOnlyList<string> StderrLines => Lines(Stderr);

    /// <summary>The non-empty lines of standard output.</summary>
    public IReadOnlyList<string> StdoutLines => Lines(Stdout);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
