namespace Cossistant.Client;

/// <summary>A REST call failed: an error status from the server, an unreadable response, or no response at all.</summary>
public class CossistantApiException : CossistantException
{
    /// <summary>Creates the exception.</summary>
    public CossistantApiException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public CossistantApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CossistantApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc cref="CossistantException(string, int?, string?, string?, string?, Exception?)" />
    public CossistantApiException(
        string message, int? statusCode, string? errorCode, string? serverMessage, string? details, Exception? innerException = null)
        : base(message, statusCode, errorCode, serverMessage, details, innerException)
    {
    }
}
