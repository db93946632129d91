namespace Cossistant.Client.IntegrationTests.Infrastructure;

/// <summary>
/// Waits for the event a test asserts on: the condition is checked against the current value first, then against
/// every announced change, so nothing is polled and a neighbouring event can never stand in for the awaited one.
/// The real-time bound only turns a hang into a failure.
/// </summary>
internal static class Until
{
    public static async Task<RealtimeConnectionState> RealtimeAsync(
        CossistantClient client, Func<RealtimeConnectionState, bool> condition, string what, int timeoutMs = 10_000)
    {
        var done = new TaskCompletionSource<RealtimeConnectionState>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(object? sender, RealtimeConnectionStateChangedEventArgs change)
        {
            if (condition(change.Current))
            {
                done.TrySetResult(change.Current);
            }
        }

        client.RealtimeConnectionStateChanged += OnChange;
        try
        {
            if (condition(client.RealtimeConnectionState))
            {
                done.TrySetResult(client.RealtimeConnectionState);
            }

            return await Bound(done.Task, what, timeoutMs, () => client.RealtimeConnectionState.ToString());
        }
        finally
        {
            client.RealtimeConnectionStateChanged -= OnChange;
        }
    }

    public static async Task<SupportStateSnapshot> StateAsync(
        CossistantClient client, Func<SupportStateSnapshot, bool> condition, string what, int timeoutMs = 10_000)
    {
        var done = new TaskCompletionSource<SupportStateSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(object? sender, SupportStateChangedEventArgs change)
        {
            if (condition(change.Current))
            {
                done.TrySetResult(change.Current);
            }
        }

        client.SupportStateChanged += OnChange;
        try
        {
            if (condition(client.SupportStateSnapshot))
            {
                done.TrySetResult(client.SupportStateSnapshot);
            }

            return await Bound(done.Task, what, timeoutMs, () => client.SupportStateSnapshot.ToString());
        }
        finally
        {
            client.SupportStateChanged -= OnChange;
        }
    }

    public static async Task<SupportStateSnapshot> SessionAsync(
        CossistantSession session, Func<SupportStateSnapshot, bool> condition, string what, int timeoutMs = 10_000)
    {
        var done = new TaskCompletionSource<SupportStateSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(object? sender, SupportStateChangedEventArgs change)
        {
            if (condition(change.Current))
            {
                done.TrySetResult(change.Current);
            }
        }

        session.SupportStateChanged += OnChange;
        try
        {
            if (condition(session.SupportStateSnapshot))
            {
                done.TrySetResult(session.SupportStateSnapshot);
            }

            return await Bound(done.Task, what, timeoutMs, () => session.SupportStateSnapshot.ToString());
        }
        finally
        {
            session.SupportStateChanged -= OnChange;
        }
    }

    public static async Task<T> Bound<T>(Task<T> task, string what, int timeoutMs, Func<string>? describe = null)
    {
        try
        {
            return await task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting until {what}{(describe is null ? string.Empty : $" (now: {describe()})")}");
        }
    }

    public static async Task Bound(Task task, string what, int timeoutMs = 10_000)
    {
        try
        {
            await task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("Timed out waiting until " + what);
        }
    }
}
