using System.Diagnostics;
using System.Globalization;

namespace Cossistant.Client.Benchmarks;

/// <summary>Nearest-rank percentiles of Stopwatch tick samples.</summary>
internal sealed class Percentiles
{
    private readonly long[] _sorted;

    public Percentiles(IEnumerable<long> ticks)
    {
        _sorted = [.. ticks.Order()];
        if (_sorted.Length == 0)
        {
            throw new ArgumentException("No samples.", nameof(ticks));
        }
    }

    public IReadOnlyList<long> Samples => _sorted;

    public int Count => _sorted.Length;

    public long P50 => At(0.50);

    public long P90 => At(0.90);

    public long P99 => At(0.99);

    public long Max => _sorted[^1];

    public long Min => _sorted[0];

    public static double Microseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    public long At(double quantile) => _sorted[Math.Clamp((int)Math.Ceiling(quantile * _sorted.Length) - 1, 0, _sorted.Length - 1)];

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"n={Count}  p50={P50} ticks ({Microseconds(P50):F1} µs)  p90={Microseconds(P90):F1} µs  p99={P99} ticks ({Microseconds(P99):F1} µs)  min={Microseconds(Min):F1} µs  max={Microseconds(Max):F1} µs");
}
