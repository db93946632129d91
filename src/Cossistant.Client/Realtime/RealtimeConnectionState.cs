namespace Cossistant.Client;

/// <summary>The realtime connection at one moment. Immutable.</summary>
public sealed class RealtimeConnectionState
{
    internal RealtimeConnectionState(
        RealtimeConnectionStatus status,
        DateTimeOffset since,
        Exception? lastError,
        bool isPermanentFailure,
        string? connectionId,
        int failedAttempts,
        DateTimeOffset? nextAttemptAt)
    {
        Status = status;
        Since = since;
        LastError = lastError;
        IsPermanentFailure = isPermanentFailure;
        ConnectionId = connectionId;
        FailedAttempts = failedAttempts;
        NextAttemptAt = nextAttemptAt;
    }

    /// <summary>The status.</summary>
    public RealtimeConnectionStatus Status { get; }

    /// <summary>When the connection entered this state (on the client's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset Since { get; }

    /// <summary>Why the last connection ended or attempt failed, or <see langword="null"/>.</summary>
    public Exception? LastError { get; }

    /// <summary>
    /// Whether the server refused the credentials (close 1008/1011 or an authentication error frame): the client
    /// does not retry; fix the keys or Origin and call <see cref="CossistantClient.ReconnectRealtimeAsync"/>.
    /// </summary>
    public bool IsPermanentFailure { get; }

    /// <summary>The server's id of the current connection, while connected.</summary>
    public string? ConnectionId { get; }

    /// <summary>Consecutive failed attempts since the last successful connection.</summary>
    public int FailedAttempts { get; }

    /// <summary>When the next attempt starts, while <see cref="RealtimeConnectionStatus.Reconnecting"/>.</summary>
    public DateTimeOffset? NextAttemptAt { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Status} since {Since:O}{(LastError is null ? string.Empty : $" ({LastError.Message})")}";
}
