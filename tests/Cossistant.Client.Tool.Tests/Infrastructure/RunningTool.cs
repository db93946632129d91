using System.Diagnostics;

namespace Cossistant.Client.Tool.Tests.Infrastructure;

/// <summary>A long-running tool process (<c>cossistant emulator</c>): read its lines as they come, signal it, wait for its exit.</summary>
public sealed class RunningTool : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private RunningTool(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int ProcessId => _process.Id;

    /// <summary>Starts the tool.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The running process.</returns>
    public static RunningTool Start(params string[] args) => new(CossistantTool.Start(new Dictionary<string, string?>(), args));

    /// <summary>The next line of standard output (null at its end), waiting at most <see cref="CossistantTool.Patience"/>.</summary>
    /// <returns>The line.</returns>
    public async Task<string?> ReadLineAsync() =>
        await _process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(CossistantTool.Patience, TestContext.Current.CancellationToken);

    /// <summary>Reads standard output lines until one matches.</summary>
    /// <param name="match">The condition.</param>
    /// <returns>Every line read, the matching one last.</returns>
    public async Task<List<string>> ReadUntilAsync(Func<string, bool> match)
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (match(line))
            {
                return lines;
            }
        }

        Assert.Fail($"The output ended before the expected line. Read:\n{string.Join('\n', lines)}\nstderr:\n{await _stderr}");
        return lines;
    }

    /// <summary>Sends a signal with <c>kill -SIGNAL pid</c> (TERM, INT).</summary>
    /// <param name="signal">The signal name.</param>
    /// <returns>A task that completes when sent.</returns>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(CossistantTool.Patience, TestContext.Current.CancellationToken);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the exit and gives the code with the rest of the output.</summary>
    /// <returns>The exit code, the remaining standard output and all of standard error.</returns>
    public async Task<ToolResult> WaitForExitAsync()
    {
        var rest = _process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(CossistantTool.Patience, TestContext.Current.CancellationToken);
        return new ToolResult(_process.ExitCode, await rest, await _stderr);
    }

    /// <summary>Kills the process if a test left it running.</summary>
    /// <returns>A task that completes when done.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(CossistantTool.Patience);
        }

        _process.Dispose();
    }
}
