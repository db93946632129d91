namespace Cossistant.Client;

/// <summary>The server rejected the request as invalid (HTTP 400). Not retried.</summary>
public sealed class CossistantValidationException : CossistantApiException
{
    /// <summary>Creates the exception.</summary>
    public CossistantValidationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public CossistantValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CossistantValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc cref="CossistantException(string, int?, string?, string?, string?, Exception?)" />
    public CossistantValidationException(
        string message, int? statusCode, string? errorCode, string? serverMessage, string? details, Exception? innerException = null)
        : base(message, statusCode, errorCode, serverMessage, details, innerException)
    {
    }
}
