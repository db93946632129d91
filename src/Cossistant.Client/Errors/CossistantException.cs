namespace Cossistant.Client;

/// <summary>
/// The base of every error the SDK raises about Cossistant itself (HTTP failures, realtime failures, a blocked
/// visitor). Argument and configuration errors are <see cref="ArgumentException"/>s, and cancellation is the
/// caller's <see cref="OperationCanceledException"/>, never wrapped.
/// </summary>
/// <remarks>Messages never contain API keys.</remarks>
public class CossistantException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CossistantException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public CossistantException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CossistantException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the server's facts.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status, when there was a response.</param>
    /// <param name="errorCode">The server's or the SDK's error code (see <see cref="CossistantErrorCodes"/>).</param>
    /// <param name="serverMessage">The server's own message.</param>
    /// <param name="details">Further details from the server (e.g. validation issues as JSON text).</param>
    /// <param name="innerException">The cause.</param>
    public CossistantException(
        string message, int? statusCode, string? errorCode, string? serverMessage, string? details, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ServerMessage = serverMessage;
        Details = details;
    }

    /// <summary>The HTTP status code, or <see langword="null"/> when no response was received.</summary>
    public int? StatusCode { get; }

    /// <summary>
    /// The error code: the server's (<c>error</c> or <c>code</c> key, e.g. <c>NOT_FOUND</c>, <c>ZodError</c>) or
    /// the SDK's (<see cref="CossistantErrorCodes"/>), or <see langword="null"/>.
    /// </summary>
    public string? ErrorCode { get; }

    /// <summary>The server's message (from a JSON body or a text body), or <see langword="null"/>.</summary>
    public string? ServerMessage { get; }

    /// <summary>Further details, e.g. the server's validation issues as JSON text.</summary>
    public string? Details { get; }
}
