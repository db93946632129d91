namespace Cossistant.Client;

/// <summary>The realtime socket failed: the server refused the credentials, closed the connection, or went silent.</summary>
public sealed class CossistantRealtimeException : CossistantException
{
    /// <summary>Creates the exception.</summary>
    public CossistantRealtimeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public CossistantRealtimeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CossistantRealtimeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the socket's facts.</summary>
    /// <param name="message">The message.</param>
    /// <param name="closeStatus">The WebSocket close code (e.g. 1008), when the server closed.</param>
    /// <param name="statusCode">The HTTP status of a refused upgrade, or the code of an error frame.</param>
    /// <param name="errorCode">The error frame's <c>error</c> (e.g. <c>Authentication failed</c>).</param>
    /// <param name="serverMessage">The error frame's message or the close reason.</param>
    /// <param name="innerException">The cause.</param>
    public CossistantRealtimeException(
        string message, int? closeStatus, int? statusCode, string? errorCode, string? serverMessage, Exception? innerException = null)
        : base(message, statusCode, errorCode, serverMessage, null, innerException)
    {
        CloseStatus = closeStatus;
    }

    /// <summary>The WebSocket close code, when the server closed the connection.</summary>
    public int? CloseStatus { get; }
}
