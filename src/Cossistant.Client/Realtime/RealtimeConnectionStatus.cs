namespace Cossistant.Client;

/// <summary>Where the realtime socket stands.</summary>
public enum RealtimeConnectionStatus
{
    /// <summary>Not connected and not trying: never started, stopped, or failed for good (see the state's error).</summary>
    Disconnected,

    /// <summary>The first connection attempt is under way.</summary>
    Connecting,

    /// <summary>Connected and authenticated: events arrive.</summary>
    Connected,

    /// <summary>The connection was lost or an attempt failed; the next attempt is scheduled.</summary>
    Reconnecting,
}
