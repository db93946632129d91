using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Cossistant.Client.BrowserTests;

/// <summary>
/// The Blazor sample (its own process, the emulator inside it) and a headless Chromium: Debian's, installed by
/// <c>.ci/run</c> (<c>apt-get install chromium</c>), since Playwright's own browser download cannot work on these
/// machines. Without Chromium the tests are skipped, except under CI, where they fail.
/// </summary>
public sealed partial class BlazorSample : IAsyncLifetime
{
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
    private Process? _sample;
    private IPlaywright? _playwright;

    public Uri BaseUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string? Unavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Unavailable = $"Chromium is not installed at {ChromiumPath} (.ci/run installs Debian's chromium).";
            return;
        }

        _sample = Process.Start(new ProcessStartInfo("dotnet", ["run", "--no-build", "--project", Path.Combine(RepositoryRoot(), "samples", "BlazorApp")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot(),
        }) ?? throw new InvalidOperationException("Could not start the Blazor sample.");
        _sample.ErrorDataReceived += (_, _) => { };
        _sample.BeginErrorReadLine();
        BaseUrl = await ReadUrlAsync(_sample).WaitAsync(TimeSpan.FromMinutes(2));
        _ = DrainAsync(_sample.StandardOutput);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_sample is { HasExited: false })
        {
            _sample.Kill(entireProcessTree: true);
            await _sample.WaitForExitAsync();
        }

        _sample?.Dispose();
    }

    /// <summary>Skips the test where there is no Chromium (fails under CI, where .ci/run must have installed it).</summary>
    public void RequireBrowser()
    {
        if (Unavailable is null)
        {
            return;
        }

        Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), Unavailable);
        Assert.Skip(Unavailable);
    }

    private static async Task<Uri> ReadUrlAsync(Process sample)
    {
        while (await sample.StandardOutput.ReadLineAsync() is { } line)
        {
            if (ListeningOn().Match(line) is { Success: true } match)
            {
                return new Uri(match.Groups[1].Value);
            }
        }

        throw new InvalidOperationException($"The Blazor sample exited before listening (exit code {(sample.HasExited ? sample.ExitCode : -1)}).");
    }

    private static async Task DrainAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is not null)
        {
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cossistant.Client.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cossistant.Client.sln not found above the test assembly.");
    }

    [GeneratedRegex(@"^Listening on (http://\S+?)/?\s")]
    private static partial Regex ListeningOn();
}
