namespace Cossistant.Client.Realtime;

/// <summary>
/// Exponential backoff with "equal jitter": attempt n waits between half and all of min(max, base × 2^n), so
/// clients that dropped together do not come back together, yet never wait less than half the step.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Func<double> random)
{
    public TimeSpan Ceiling(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt, 30));
        var ticks = Math.Min(maxDelay.Ticks, baseDelay.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }

    public TimeSpan Next(int attempt)
    {
        var ceiling = Ceiling(attempt);
        var half = ceiling.Ticks / 2.0;
        return TimeSpan.FromTicks((long)(half + (half * random())));
    }
}
