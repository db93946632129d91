namespace Cossistant.Client;

/// <summary>
/// The server refused the credentials: 401 (key missing, unknown or malformed) or 403 (Origin missing or not
/// on the website's allowlist). Not retried.
/// </summary>
public sealed class CossistantAuthenticationException : CossistantApiException
{
    /// <summary>Creates the exception.</summary>
    public CossistantAuthenticationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public CossistantAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CossistantAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc cref="CossistantException(string, int?, string?, string?, string?, Exception?)" />
    public CossistantAuthenticationException(
        string message, int? statusCode, string? errorCode, string? serverMessage, string? details, Exception? innerException = null)
        : base(message, statusCode, errorCode, serverMessage, details, innerException)
    {
    }
}
