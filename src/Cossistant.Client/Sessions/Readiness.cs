using Cossistant.Client.Threading;

namespace Cossistant.Client.Sessions;

/// <summary>
/// Runs the steps that make a client or session ready within a time limit on the runtime's clock. A limit that runs
/// out becomes a <see cref="TimeoutException"/> naming the step still awaited; the caller's cancellation stays an
/// <see cref="OperationCanceledException"/>, and every other failure (refused keys, a blocked visitor) is thrown as is.
/// </summary>
internal sealed class Readiness
{
    private string _awaiting = "nothing";

    /// <summary>Names the step about to run (for the timeout's message).</summary>
    public void Awaiting(string step) => _awaiting = step;

    public static void ThrowIfInvalid(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be greater than zero, or Timeout.InfiniteTimeSpan.");
        }
    }

    public static async Task<SupportStateSnapshot> RunAsync(
        TimeProvider time, string what, TimeSpan timeout, Func<Readiness, CancellationToken, Task<SupportStateSnapshot>> steps, CancellationToken cancellationToken)
    {
        using var deadline = timeout == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : Timing.CancelAfter(time, timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var readiness = new Readiness();
        try
        {
            return await steps(readiness, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The {what} was not ready within {timeout}: still waiting for {readiness._awaiting}.", exception);
        }
    }
}
