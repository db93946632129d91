using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cossistant.Client.Testing;
using Microsoft.Extensions.Logging;

namespace Cossistant.Client.IntegrationTests.Reliability;

/// <summary>
/// The heavy reliability suites (fault storm, dead server, soak, sync-over-async) run one at a time, after the
/// parallel tests: they time reconnect backoff and watch process-wide events (unobserved task exceptions).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialReliability
{
    public const string Name = "Reliability (serial)";
}

/// <summary>Typed metadata of the reliability suites' onboarding step.</summary>
internal sealed record ProjectMetadata(string Name, int Seats);

/// <summary>Source-generated JSON for the typed steps (including two whose metadata is not an object).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProjectMetadata))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(string))]
internal sealed partial class ReliabilityJsonContext : JsonSerializerContext;

/// <summary>The app's declared flags and steps for the reliability suites.</summary>
internal static class ReliabilitySupport
{
    public static readonly FeatureFlag Alpha = new("alpha");
    public static readonly FeatureFlag Beta = new("beta");
    public static readonly FeatureFlag Gamma = new("gamma");
    public static readonly OnboardingStep<ProjectMetadata> Project = new("project", ReliabilityJsonContext.Default.ProjectMetadata, isFirst: true);
    public static readonly OnboardingStep Invite = new("invite");
    public static readonly OnboardingStep<int[]> Numbers = new("numbers", ReliabilityJsonContext.Default.Int32Array);
    public static readonly OnboardingStep<string> Text = new("text", ReliabilityJsonContext.Default.String);
    public static readonly OnboardingStep Done = new("done", isLast: true);

    /// <summary>A step the config does not declare.</summary>
    public static readonly OnboardingStep Undeclared = new("not-declared");

    public static readonly SupportConfig Config = SupportConfig.Create([Alpha, Beta, Gamma], [Project, Invite, Numbers, Text, Done]);

    /// <summary>The flag names a storm plays with (declared and not).</summary>
    public static readonly string[] FlagPool = ["alpha", "beta", "gamma", "delta", "epsilon"];

    /// <summary>The step ids a storm plays with.</summary>
    public static readonly string[] StepPool = ["project", "invite", "done", "extra"];
}

/// <summary>Shared set-up: options, bounded waits, output.</summary>
internal static class ReliabilityKit
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Writes a line to the test output (and nowhere else).</summary>
    public static void Out(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>Visitor options for the default website: fast retries, fast reconnects, captured logs.</summary>
    public static CossistantClientOptions VisitorOptions(CossistantEmulator emulator, ILoggerFactory? logs = null)
    {
        var options = emulator.CreateClientOptions();
        options.Support = ReliabilitySupport.Config;
        options.LoggerFactory = logs;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        options.Retry.AttemptTimeout = TimeSpan.FromSeconds(10);
        options.Realtime.ReconnectBaseDelay = TimeSpan.FromMilliseconds(20);
        options.Realtime.ReconnectMaxDelay = TimeSpan.FromMilliseconds(200);
        return options;
    }

    /// <summary>Server (private key) options for the default website.</summary>
    public static CossistantClientOptions ServerOptions(CossistantEmulator emulator, ILoggerFactory? logs = null)
    {
        var options = emulator.CreateClientOptions(privateKey: true);
        options.LoggerFactory = logs;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        options.Retry.AttemptTimeout = TimeSpan.FromSeconds(10);
        options.Realtime.ReconnectBaseDelay = TimeSpan.FromMilliseconds(20);
        options.Realtime.ReconnectMaxDelay = TimeSpan.FromMilliseconds(200);
        return options;
    }

    /// <summary>Polls (real time) until <paramref name="condition"/> holds; false when the timeout passed first.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout, int pollMs = 10)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return condition();
            }

            await Task.Delay(pollMs, Ct);
        }

        return true;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, else fails with <paramref name="what"/>.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        if (!await WaitUntilAsync(condition, timeout ?? TimeSpan.FromSeconds(15)))
        {
            Assert.Fail($"Timed out waiting for: {what}");
        }
    }

    /// <summary>A JSON element from text (cloned, so the document can go).</summary>
    public static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Awaits a task with a bound; fails (naming <paramref name="what"/>) when it does not finish in time.</summary>
    public static async Task WithinAsync(Task task, TimeSpan bound, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(bound, Ct));
        if (finished != task)
        {
            Assert.Fail($"{what} did not finish within {bound}.");
        }

        await task;
    }
}
