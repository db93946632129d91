using System.Text;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// Waits on a client's or session's snapshots (the observable hands over the current one first, then every change):
/// completes with the first snapshot the predicate accepts; fails when the feed completes (the owner was disposed);
/// times out with what was awaited and the state at that moment.
/// </summary>
internal sealed class SnapshotWaiter : IObserver<SupportStateSnapshot>
{
    private readonly TaskCompletionSource<SupportStateSnapshot> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<SupportStateSnapshot, bool> _predicate;
    private readonly string _what;
    private readonly string _owner;

    private SnapshotWaiter(Func<SupportStateSnapshot, bool> predicate, string what, string owner)
    {
        _predicate = predicate;
        _what = what;
        _owner = owner;
    }

    public static async Task<SupportStateSnapshot> WaitAsync(
        IObservable<SupportStateSnapshot> feed, Func<string> describeNow, Func<SupportStateSnapshot, bool> predicate, string what, string owner,
        TimeSpan bound, CancellationToken cancellationToken)
    {
        var waiter = new SnapshotWaiter(predicate, what, owner);
        using var subscription = feed.Subscribe(waiter);
        try
        {
            return await waiter._done.Task.WaitAsync(bound, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!waiter._done.Task.IsCompleted)
        {
            throw new TimeoutException($"Timed out after {Waits.Seconds(bound)} waiting for {what}; now: {describeNow()}.");
        }
    }

    /// <summary>Status, flags, onboarding and error of a snapshot, for a timeout message (no keys: the client keeps them out of errors).</summary>
    public static string Describe(string? visitorId, SupportStateSnapshot snapshot)
    {
        var text = new StringBuilder()
            .Append("visitor ").Append(visitorId ?? "(none yet)")
            .Append(", status ").Append(snapshot.Status).Append(snapshot.IsSettled ? string.Empty : " (unsettled)")
            .Append(", flags [").Append(string.Join(", ", snapshot.State.FeatureFlags)).Append(']')
            .Append(", onboarding [")
            .Append(string.Join(", ", snapshot.State.Onboarding.Steps.Select(step => $"{step.Key}: {(step.Value.Completed ? "completed" : "not completed")}")))
            .Append(']');
        if (snapshot.Error is { } error)
        {
            text.Append(", error ").Append(error.GetType().Name).Append(": ").Append(error.Message);
        }

        return text.Append(" (snapshot #").Append(snapshot.Version).Append(')').ToString();
    }

    public void OnNext(SupportStateSnapshot value)
    {
        if (_done.Task.IsCompleted)
        {
            return;
        }

        try
        {
            if (_predicate(value))
            {
                _done.TrySetResult(value);
            }
        }
        catch (Exception exception)
        {
            // A throwing predicate fails the wait instead of being swallowed by the feed.
            _done.TrySetException(exception);
        }
    }

    public void OnCompleted() =>
        _done.TrySetException(new ObjectDisposedException(_owner, $"The {_owner} was disposed while waiting for {_what}."));

    public void OnError(Exception error) => _done.TrySetException(error);
}
