using System.Globalization;

namespace Cossistant.Client.Testing.Internal;

/// <summary>The bounds of the testing kit's waits, and how a timeout message shows them.</summary>
internal static class Waits
{
    /// <summary>The bound when the caller gives none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The caller's bound, or the default; positive or infinite.</summary>
    public static TimeSpan Bound(TimeSpan? timeout, string parameterName)
    {
        var bound = timeout ?? DefaultTimeout;
        return bound > TimeSpan.Zero || bound == Timeout.InfiniteTimeSpan
            ? bound
            : throw new ArgumentOutOfRangeException(parameterName, bound, "The timeout must be positive or Timeout.InfiniteTimeSpan.");
    }

    /// <summary>E.g. <c>5 s</c>, <c>0.2 s</c>.</summary>
    public static string Seconds(TimeSpan bound) => bound.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
