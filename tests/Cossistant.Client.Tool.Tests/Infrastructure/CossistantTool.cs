using System.Diagnostics;
using System.Reflection;

namespace Cossistant.Client.Tool.Tests.Infrastructure;

/// <summary>
/// Runs the <c>cossistant</c> tool as a process: <c>dotnet exec</c> of its build output, with an environment that has
/// no COSSISTANT_* variable except the ones a test gives. Waits on the process, never on a clock.
/// </summary>
public static class CossistantTool
{
    /// <summary>Generous: a cold start on a busy 2-core machine, plus the SDK's retries of a 5xx.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly string ToolPath = typeof(CossistantTool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "CossistantToolPath").Value!;

    /// <summary>Runs the tool to completion.</summary>
    /// <param name="environment">COSSISTANT_* variables (and others) for the process; null values are left unset.</param>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code and output.</returns>
    public static async Task<ToolResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);
        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the tool without any COSSISTANT_* variable.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code and output.</returns>
    public static Task<ToolResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);

    /// <summary>Starts the tool with redirected output; the caller reads it and waits.</summary>
    /// <param name="environment">Variables for the process.</param>
    /// <param name="args">The command line.</param>
    /// <returns>The started process.</returns>
    public static Process Start(IReadOnlyDictionary<string, string?> environment, IEnumerable<string> args)
    {
        Assert.True(File.Exists(ToolPath), $"The tool's build output is missing: {ToolPath}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(ToolPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("COSSISTANT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            if (value is not null)
            {
                start.Environment[name] = value;
            }
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>The admin commands' environment: the API URL and the private key.</summary>
    /// <param name="apiUrl">COSSISTANT_API_URL.</param>
    /// <param name="privateKey">COSSISTANT_PRIVATE_API_KEY.</param>
    /// <returns>The variables.</returns>
    public static Dictionary<string, string?> Env(Uri apiUrl, string? privateKey) => new()
    {
        ["COSSISTANT_API_URL"] = apiUrl.ToString(),
        ["COSSISTANT_PRIVATE_API_KEY"] = privateKey,
    };
}
