using Cossistant.Client.Realtime;
using CsCheck;

namespace Cossistant.Client.Tests.Realtime;

/// <summary>
/// The reconnect delay: exponential from <see cref="CossistantRealtimeOptions.ReconnectBaseDelay"/>, capped at
/// <see cref="CossistantRealtimeOptions.ReconnectMaxDelay"/>, with equal jitter in [ceiling/2, ceiling].
/// </summary>
public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Base = new CossistantRealtimeOptions().ReconnectBaseDelay;
    private static readonly TimeSpan Max = new CossistantRealtimeOptions().ReconnectMaxDelay;

    /// <summary>The largest double below 1: what <see cref="Random.NextDouble"/> can return at most.</summary>
    private static readonly double AlmostOne = Math.BitDecrement(1.0);

    [Fact]
    public void Defaults_AreHalfSecondBaseAndThirtySecondCap()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), Base);
        Assert.Equal(TimeSpan.FromSeconds(30), Max);
    }

    [Theory]
    [InlineData(0, 500)]
    [InlineData(1, 1_000)]
    [InlineData(2, 2_000)]
    [InlineData(3, 4_000)]
    [InlineData(4, 8_000)]
    [InlineData(5, 16_000)]
    [InlineData(6, 30_000)]
    [InlineData(7, 30_000)]
    [InlineData(30, 30_000)]
    [InlineData(31, 30_000)]
    [InlineData(1000, 30_000)]
    [InlineData(int.MaxValue, 30_000)]
    public void Ceiling_DoublesFromBase_CappedAtMax(int attempt, int expectedMs)
    {
        var backoff = new ReconnectBackoff(Base, Max, () => 0.5);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), backoff.Ceiling(attempt));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(1000)]
    public void Next_RandomZero_IsHalfTheCeiling(int attempt)
    {
        var backoff = new ReconnectBackoff(Base, Max, () => 0.0);

        Assert.Equal(backoff.Ceiling(attempt) / 2, backoff.Next(attempt));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(1000)]
    public void Next_RandomAlmostOne_IsAtMostTheCeilingAndWithinOneTick(int attempt)
    {
        var backoff = new ReconnectBackoff(Base, Max, () => AlmostOne);
        var ceiling = backoff.Ceiling(attempt);

        var next = backoff.Next(attempt);

        Assert.True(next <= ceiling, $"{next} > {ceiling}");
        Assert.True(ceiling - next <= TimeSpan.FromTicks(1), $"{next} is not ~{ceiling}");
    }

    [Fact]
    public void Next_RandomOne_IsExactlyTheCeiling()
    {
        var backoff = new ReconnectBackoff(Base, Max, () => 1.0);

        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Next(2));
        Assert.Equal(Max, backoff.Next(1000));
    }

    [Fact]
    public void Next_DifferentRandomValues_GiveDifferentDelays()
    {
        var values = new Queue<double>([0.0, 0.5, 0.75]);
        var backoff = new ReconnectBackoff(Base, Max, () => values.Dequeue());

        Assert.Equal(
            [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1.75)],
            [backoff.Next(2), backoff.Next(2), backoff.Next(2)]);
    }

    [Fact]
    public void Next_Attempt1000_NoOverflow_StaysWithinCapBounds()
    {
        foreach (var random in new[] { 0.0, 0.25, AlmostOne })
        {
            var backoff = new ReconnectBackoff(Base, Max, () => random);

            foreach (var attempt in new[] { 31, 62, 63, 64, 1000, int.MaxValue })
            {
                var next = backoff.Next(attempt);
                Assert.InRange(next, Max / 2, Max);
            }
        }
    }

    [Fact]
    public void Next_AnyAttemptAndRandom_StaysWithinHalfCeilingAndCeiling()
    {
        Gen.Select(Gen.Int[0, 2000], Gen.Double[0.0, AlmostOne], Gen.Int[1, 5_000], Gen.Int[1, 600])
            .Sample((attempt, random, baseMs, maxFactor) =>
            {
                var baseDelay = TimeSpan.FromMilliseconds(baseMs);
                var maxDelay = baseDelay * maxFactor;
                var backoff = new ReconnectBackoff(baseDelay, maxDelay, () => random);
                var ceiling = backoff.Ceiling(attempt);
                var next = backoff.Next(attempt);
                return ceiling <= maxDelay
                    && ceiling >= baseDelay
                    && next.Ticks >= ceiling.Ticks / 2
                    && next <= ceiling;
            });
    }

    [Fact]
    public void Ceiling_IsMonotonicInAttempt()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(5), () => 0.0);
        var previous = TimeSpan.Zero;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var ceiling = backoff.Ceiling(attempt);
            Assert.True(ceiling >= previous, $"attempt {attempt}: {ceiling} < {previous}");
            previous = ceiling;
        }
    }
}
