#if COSSISTANT_SAMPLE_TESTS
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Cossistant.Client.IntegrationTests.TestingKit;

/// <summary>
/// The standalone emulator (<c>samples/Emulator</c>) as its own process, as <c>dotnet run --project samples/Emulator</c>
/// runs it: SIGTERM and Ctrl+C (SIGINT) stop it with exit code 0; a port in use ends it with one line on stderr and a
/// non-zero exit code, no stack trace. Each test waits for the process's own output or exit, within a bound.
/// </summary>
public sealed class StandaloneEmulatorTests
{
    private const string ReadyLine = "Cossistant emulator running.";

    /// <summary>Starting a dotnet process on a busy 2-core machine can take a while; only turns a hang into a failure.</summary>
    private static readonly TimeSpan ProcessBound = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Signal_WhileRunning_StopsAndExitsWithZero(string signal)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX signals.");
        using var emulator = EmulatorProcess.Start();
        Assert.True(await emulator.Ready.WaitAsync(ProcessBound, Ct), $"The emulator exited before printing \"{ReadyLine}\"; stderr: {emulator.Stderr}");
        if (signal == "INT" && IgnoresSigint(emulator.Id))
        {
            // A shell without job control starts background jobs with SIGINT ignored, and the runtime keeps it so.
            Assert.Skip("SIGINT is ignored in this process tree (started as a background job), so no process in it can see Ctrl+C.");
        }

        await SendSignalAsync(emulator.Id, signal);
        var exitCode = await emulator.ExitAsync(ProcessBound);

        Assert.True(exitCode == 0, $"exit code {exitCode} after SIG{signal}; stderr: {emulator.Stderr}");
        Assert.Equal(string.Empty, emulator.Stderr);
        Assert.Equal("Cossistant emulator stopped.", emulator.StdoutLines[^1]);
    }

    [Fact]
    public async Task PortInUse_PrintsOneLineOnStderrNamingThePortAndExitsNonZero()
    {
        var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        try
        {
            var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
            using var emulator = EmulatorProcess.Start("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

            var exitCode = await emulator.ExitAsync(ProcessBound);

            Assert.NotEqual(0, exitCode);
            var line = Assert.Single(emulator.StderrLines);
            Assert.NotEqual(string.Empty, line.Trim());
            Assert.Contains($"Port {port} ", line, StringComparison.Ordinal);
            Assert.Contains("--port", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
            Assert.DoesNotContain(emulator.StdoutLines, l => l.Contains(ReadyLine, StringComparison.Ordinal));
            Assert.DoesNotContain(emulator.StdoutLines, l => l.Contains("Exception", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        }
        finally
        {
            occupied.Stop();
            occupied.Dispose();
        }
    }

    private static async Task SendSignalAsync(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not start kill.");
        await kill.WaitForExitAsync(Ct).WaitAsync(ProcessBound, Ct);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Whether a process ignores SIGINT (bit 2 of SigIgn in <c>/proc/PID/status</c>); false where there is no /proc.</summary>
    private static bool IgnoresSigint(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return false;
        }

        var ignored = File.ReadLines(status).FirstOrDefault(line => line.StartsWith("SigIgn:", StringComparison.Ordinal));
        return ignored is not null && (Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }

    /// <summary>The built <c>samples/Emulator</c> run with <c>dotnet exec</c>; its output collected line by line.</summary>
    private sealed class EmulatorProcess : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _stdout = [];
        private readonly List<string> _stderr = [];
        private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private EmulatorProcess(Process process) => _process = process;

        public int Id => _process.Id;

        /// <summary>True when the emulator prints that it is running; false if its output ends first.</summary>
        public Task<bool> Ready => _ready.Task;

        public IReadOnlyList<string> StdoutLines
        {
            get
            {
                lock (_stdout)
                {
                    return [.. _stdout];
                }
            }
        }

        public IReadOnlyList<string> StderrLines
        {
            get
            {
                lock (_stderr)
                {
                    return [.. _stderr];
                }
            }
        }

        public string Stderr => string.Join('\n', StderrLines);

        public static EmulatorProcess Start(params string[] args)
        {
            var dll = typeof(StandaloneEmulatorTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(attribute => attribute.Key == "StandaloneEmulatorPath").Value!;
            Assert.True(File.Exists(dll), $"The standalone emulator is not built at {dll}.");
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var process = new Process
            {
                StartInfo = new ProcessStartInfo(dotnet, ["exec", dll, .. args])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                },
            };
            var emulator = new EmulatorProcess(process);
            process.OutputDataReceived += (_, e) => emulator.OnLine(e.Data, emulator._stdout);
            process.ErrorDataReceived += (_, e) => emulator.OnLine(e.Data, emulator._stderr);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return emulator;
        }

        /// <summary>Waits for the exit (and the end of its output) within the bound; the exit code.</summary>
        public async Task<int> ExitAsync(TimeSpan bound)
        {
            try
            {
                await _process.WaitForExitAsync(Ct).WaitAsync(bound, Ct);
            }
            catch (TimeoutException)
            {
                var stdout = StdoutLines;
                throw new TimeoutException($"The emulator did not exit within {bound.TotalSeconds} s. Its last line: \"{(stdout.Count > 0 ? stdout[^1] : string.Empty)}\".");
            }

            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private void OnLine(string? line, List<string> lines)
        {
            if (line is null)
            {
                // End of that stream: the process is gone.
                _ready.TrySetResult(false);
                return;
            }

            lock (lines)
            {
                lines.Add(line);
            }

            if (line == ReadyLine)
            {
                _ready.TrySetResult(true);
            }
        }
    }
}
#endif
