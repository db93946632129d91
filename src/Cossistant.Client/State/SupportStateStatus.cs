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
}
