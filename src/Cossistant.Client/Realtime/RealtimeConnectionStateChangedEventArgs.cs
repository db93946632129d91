namespace Cossistant.Client;

/// <summary>A change of the realtime connection state.</summary>
public sealed class RealtimeConnectionStateChangedEventArgs : EventArgs
{
    internal RealtimeConnectionStateChangedEventArgs(RealtimeConnectionState previous, RealtimeConnectionState current)
    {
        Previous = previous;
        Current = current;
    }

    /// <summary>The state before.</summary>
    public RealtimeConnectionState Previous { get; }

    /// <summary>The state now.</summary>
    public RealtimeConnectionState Current { get; }
}
