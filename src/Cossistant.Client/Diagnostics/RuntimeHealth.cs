using System.Collections.Concurrent;
using Cossistant.Client.Realtime;

namespace Cossistant.Client.Diagnostics;

/// <summary>
/// What a health check needs to know of one runtime: whether the server refused the keys on the last answer that
/// said anything about them, and the realtime connections of its sessions.
/// </summary>
internal sealed class RuntimeHealth
{
    private readonly ConcurrentDictionary<RealtimeConnection, bool> _connections = new();
    private KeyRefusal? _refusal;

    /// <summary>The last refusal of the keys, until an answer accepts them again.</summary>
    public KeyRefusal? Refusal => Volatile.Read(ref _refusal);

    public void KeysRefused(int statusCode, string message) => Volatile.Write(ref _refusal, new KeyRefusal(statusCode, message));

    public void KeysAccepted()
    {
        if (Volatile.Read(ref _refusal) is not null)
        {
            Volatile.Write(ref _refusal, null);
        }
    }

    public void Track(RealtimeConnection connection) => _connections[connection] = true;

    public void Untrack(RealtimeConnection connection) => _connections.TryRemove(connection, out _);

    /// <summary>The states of the sessions' realtime connections now.</summary>
    public IReadOnlyList<RealtimeConnectionState> RealtimeStates() => [.. _connections.Keys.Select(connection => connection.State)];

    /// <summary>An HTTP 401 or 403 answer and its (secret-free) message.</summary>
    internal sealed record KeyRefusal(int StatusCode, string Message);
}
