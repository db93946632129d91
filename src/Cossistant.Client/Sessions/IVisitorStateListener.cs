namespace Cossistant.Client.Sessions;

/// <summary>A session that wants every server state of its visitor this process learns, from any request or event.</summary>
internal interface IVisitorStateListener
{
    /// <summary>A full server state of the visitor, taken at <paramref name="ticket"/> (when its request was sent, or its event arrived).</summary>
    void OnServerState(SupportState state, long ticket);
}
