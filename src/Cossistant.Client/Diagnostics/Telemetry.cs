using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Cossistant.Client.Diagnostics;

/// <summary>The client's <see cref="ActivitySource"/>, and its meter when the app gives no <see cref="IMeterFactory"/>.</summary>
internal static class Telemetry
{
    public static readonly string Version = ReadVersion();

    public static readonly ActivitySource Source = new(CossistantDiagnostics.ActivitySourceName, Version);

    /// <summary>The process-wide meter of runtimes created without a <see cref="CossistantClientOptions.MeterFactory"/>.</summary>
    private static readonly Meter SharedMeter = new(CossistantDiagnostics.MeterName, Version);

    /// <summary>The meter of one set of options: from its factory (DI's, usually), else the shared one.</summary>
    public static Meter MeterFor(CossistantClientOptions options) =>
        options.MeterFactory?.Create(new MeterOptions(CossistantDiagnostics.MeterName) { Version = Version }) ?? SharedMeter;

    private static string ReadVersion()
    {
        var version = typeof(Telemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var build = version.IndexOf('+');
        return build < 0 ? version : version.Substring(0, build);
    }
}
