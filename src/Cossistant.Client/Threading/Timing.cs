namespace Cossistant.Client.Threading;

/// <summary>
/// Delays and timeouts on a <see cref="TimeProvider"/>: the framework's own overloads on .NET 8 and later, the
/// Microsoft.Bcl.TimeProvider extensions on netstandard2.0. One call site shape for every target.
/// </summary>
internal static class Timing
{
    public static Task Delay(TimeProvider time, TimeSpan delay, CancellationToken cancellationToken) =>
#if NET8_0_OR_GREATER
        Task.Delay(delay, time, cancellationToken);
#else
        time.Delay(delay, cancellationToken);
#endif

    /// <summary>A source that cancels itself after <paramref name="delay"/> on <paramref name="time"/>.</summary>
    public static CancellationTokenSource CancelAfter(TimeProvider time, TimeSpan delay) =>
#if NET8_0_OR_GREATER
        new(delay, time);
#else
        time.CreateCancellationTokenSource(delay);
#endif
}
