namespace Cossistant.Client.IntegrationTests.Infrastructure;

/// <summary>
/// Waits for the event a test asserts on: the condition is checked against the current value first, then against
/// every announced change, so nothing is polled and a neighbouring event can never stand in for the awaited one.
/// The real-time bound only turns a hang into a failure.
/// </summary>
internal static class Until
{
    public static Task<RealtimeConnectionState> RealtimeAsync(
        CossistantClient client, Func<RealtimeConnectionState, bool> condition, string what, int timeoutMs = 10_000) =>
        ChangeAsync<RealtimeConnectionStateChangedEventArgs, RealtimeConnectionState>(
            handler => client.RealtimeConnectionStateChanged += handler,
            handler => client.RealtimeConnectionStateChanged -= handler,
            () => client.RealtimeConnectionState,
            change => change.Current,
            condition,
            what,
            timeoutMs);

    public static Task<SupportStateSnapshot> StateAsync(
        CossistantClient client, Func<SupportStateSnapshot, bool> condition, string what, int timeoutMs = 10_000) =>
        ChangeAsync<SupportStateChangedEventArgs, SupportStateSnapshot>(
            handler => client.SupportStateChanged += handler,
            handler => client.SupportStateChanged -= handler,
            () => client.SupportStateSnapshot,
            change => change.Current,
            condition,
            what,
            timeoutMs);

    public static Task<SupportStateSnapshot> SessionAsync(
        CossistantSession session, Func<SupportStateSnapshot, bool> condition, string what, int timeoutMs = 10_000) =>
        ChangeAsync<SupportStateChangedEventArgs, SupportStateSnapshot>(
            handler => session.SupportStateChanged += handler,
            handler => session.SupportStateChanged -= handler,
            () => session.SupportStateSnapshot,
            change => change.Current,
            condition,
            what,
            timeoutMs);

    /// <summary>
    /// Completes once the client announces a change that matches. Call it before the action that causes the change,
    /// after subscribing any recorder of the same client: handlers run in subscription order, so the recorder holds
    /// the change when this completes (the snapshot becomes readable before its change is announced, so a wait on
    /// the snapshot could read the recorder too early).
    /// </summary>
    public static Task AnnouncedAsync(CossistantClient client, Func<SupportStateChangedEventArgs, bool> match, string what, int timeoutMs = 10_000)
    {
        var announced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.SupportStateChanged += (_, change) =>
        {
            if (match(change))
            {
                announced.TrySetResult();
            }
        };
        return Bound(announced.Task, what, timeoutMs);
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

    private static async Task<TValue> ChangeAsync<TArgs, TValue>(
        Action<EventHandler<TArgs>> subscribe,
        Action<EventHandler<TArgs>> unsubscribe,
        Func<TValue> current,
        Func<TArgs, TValue> valueOf,
        Func<TValue, bool> condition,
        string what,
        int timeoutMs)
    {
        var done = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(object? sender, TArgs change)
        {
            var value = valueOf(change);
            if (condition(value))
            {
                done.TrySetResult(value);
            }
        }

        subscribe(OnChange);
        try
        {
            var now = current();
            if (condition(now))
            {
                done.TrySetResult(now);
            }

            return await Bound(done.Task, what, timeoutMs, () => current()?.ToString() ?? "null");
        }
        finally
        {
            unsubscribe(OnChange);
        }
    }
}
