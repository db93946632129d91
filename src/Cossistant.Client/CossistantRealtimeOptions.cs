namespace Cossistant.Client;

/// <summary>How the client keeps its realtime socket alive and reconnects it. Every timer runs on the client's <see cref="TimeProvider"/>.</summary>
public sealed class CossistantRealtimeOptions
{
    /// <summary>
    /// Connect the socket automatically once the website and visitor are known (after
    /// <see cref="CossistantClient.FetchWebsiteAsync"/> or <see cref="CossistantClient.SetWebsiteContextAsync"/>). Default false:
    /// call <see cref="CossistantClient.ConnectRealtimeAsync"/>.
    /// </summary>
    public bool AutoConnect { get; set; }

    /// <summary>How often the client sends the heartbeat text frame <c>ping</c>. Default 15 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>With no frame at all for this long, the connection counts as dead and is re-established. Default 45 s.</summary>
    public TimeSpan DeadConnectionTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>The first reconnect delay; it doubles per failed attempt, with jitter. Default 500 ms.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest reconnect delay. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one connection attempt (the upgrade) may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Frames larger than this many bytes are logged and skipped. Default 1 MiB.</summary>
    public int MaxFrameBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Whether the socket's credentials go in its query instead of headers: only in a browser (Blazor WebAssembly),
    /// where a WebSocket can carry no header. Internal so tests can exercise the browser path on a server.
    /// </summary>
    internal bool CredentialsInQuery { get; set; } = Http.Platform.IsBrowser;

    internal CossistantRealtimeOptions Clone() => (CossistantRealtimeOptions)MemberwiseClone();

    internal IEnumerable<string> Validate()
    {
        if (PingInterval <= TimeSpan.Zero)
        {
            yield return "Realtime.PingInterval must be greater than 0.";
        }

        if (DeadConnectionTimeout <= PingInterval)
        {
            yield return "Realtime.DeadConnectionTimeout must be longer than Realtime.PingInterval.";
        }

        if (ReconnectBaseDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectBaseDelay)
        {
            yield return "Realtime.ReconnectBaseDelay must be greater than 0 and at most Realtime.ReconnectMaxDelay.";
        }

        if (ReconnectMaxDelay > TimeSpan.FromDays(1))
        {
            yield return "Realtime.ReconnectMaxDelay must be at most 1 day.";
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            yield return "Realtime.ConnectTimeout must be greater than 0.";
        }

        if (MaxFrameBytes < 1024)
        {
            yield return "Realtime.MaxFrameBytes must be at least 1024.";
        }
    }
}
