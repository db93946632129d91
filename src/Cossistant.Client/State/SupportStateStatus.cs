namespace Cossistant.Client;

/// <summary>Where the client's support state stands.</summary>
public enum SupportStateStatus
{
    /// <summary>Nothing loaded or attempted yet; every flag is off.</summary>
    Idle,

    /// <summary>A support-state fetch is in flight.</summary>
    Loading,

    /// <summary>The last fetch, event or operation succeeded.</summary>
    Success,

    /// <summary>The last fetch or operation failed; see <see cref="SupportStateSnapshot.Error"/>.</summary>
    Error,

    /// <summary>
    /// The state shown is the visitor's last-known state saved by an earlier run
    /// (<see cref="CossistantClientOptions.LastKnownStateStore"/>); the server has not answered yet. A fetch or event
    /// replaces it. While it is shown, <see cref="SupportStateSnapshot.IsFromCache"/> is <see langword="true"/>, also
    /// through a fetch (<see cref="Loading"/>) and after one that failed (<see cref="Error"/>).
    /// </summary>
    Cached,
}
