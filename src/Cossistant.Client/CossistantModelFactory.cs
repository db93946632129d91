namespace Cossistant.Client;

/// <summary>
/// Builds the SDK's read-only models for an app's own unit tests: snapshots, change events and realtime connection
/// states, e.g. to drive a view model or a component without a server. (States, onboarding snapshots and the wire
/// records have public constructors of their own.)
/// </summary>
public static class CossistantModelFactory
{
    /// <summary>A support-state snapshot.</summary>
    /// <param name="state">The state; default <see cref="SupportState.Empty"/>.</param>
    /// <param name="status">The status; default <see cref="SupportStateStatus.Success"/>.</param>
    /// <param name="error">The error, for <see cref="SupportStateStatus.Error"/>.</param>
    /// <param name="pendingOperations">Optimistic operations waiting for the server.</param>
    /// <param name="version">The version; default 1.</param>
    /// <param name="isSettled">Whether the state is known to match the server; default when nothing is pending.</param>
    /// <returns>The snapshot.</returns>
    public static SupportStateSnapshot SupportStateSnapshot(
        SupportState? state = null,
        SupportStateStatus status = SupportStateStatus.Success,
        Exception? error = null,
        int pendingOperations = 0,
        long version = 1,
        bool? isSettled = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pendingOperations);
        return new SupportStateSnapshot(state ?? SupportState.Empty, status, error, pendingOperations, version, isSettled ?? pendingOperations == 0);
    }

    /// <summary>A change from one snapshot to another, with the flags and steps that differ computed as the SDK does.</summary>
    /// <param name="previous">The snapshot before.</param>
    /// <param name="current">The snapshot after.</param>
    /// <returns>The change.</returns>
    public static SupportStateChangedEventArgs SupportStateChangedEventArgs(SupportStateSnapshot previous, SupportStateSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        return new SupportStateChangedEventArgs(previous, current);
    }

    /// <summary>A realtime connection state.</summary>
    /// <param name="status">The status.</param>
    /// <param name="since">When it entered this status.</param>
    /// <param name="lastError">Why the last connection ended, or none.</param>
    /// <param name="isPermanentFailure">Whether the credentials were refused.</param>
    /// <param name="connectionId">The server's connection id, while connected.</param>
    /// <param name="failedAttempts">Consecutive failed attempts.</param>
    /// <param name="nextAttemptAt">When the next attempt starts, while reconnecting.</param>
    /// <returns>The state.</returns>
    public static RealtimeConnectionState RealtimeConnectionState(
        RealtimeConnectionStatus status,
        DateTimeOffset since = default,
        Exception? lastError = null,
        bool isPermanentFailure = false,
        string? connectionId = null,
        int failedAttempts = 0,
        DateTimeOffset? nextAttemptAt = null) =>
        new(status, since, lastError, isPermanentFailure, connectionId, failedAttempts, nextAttemptAt);

    /// <summary>A change of the realtime connection state.</summary>
    /// <param name="previous">The state before.</param>
    /// <param name="current">The state after.</param>
    /// <returns>The change.</returns>
    public static RealtimeConnectionStateChangedEventArgs RealtimeConnectionStateChangedEventArgs(
        RealtimeConnectionState previous, RealtimeConnectionState current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        return new RealtimeConnectionStateChangedEventArgs(previous, current);
    }
}
