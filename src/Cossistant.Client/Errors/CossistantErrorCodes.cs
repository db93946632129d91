namespace Cossistant.Client;

/// <summary>Error codes the SDK itself sets on <see cref="CossistantException.ErrorCode"/>.</summary>
public static class CossistantErrorCodes
{
    /// <summary>The website blocked this visitor; raised before any request is sent.</summary>
    public const string VisitorBlocked = "VISITOR_BLOCKED";

    /// <summary>No response: the connection failed, or every retry did.</summary>
    public const string NetworkError = "NETWORK_ERROR";

    /// <summary>The request timed out (not the caller's cancellation).</summary>
    public const string Timeout = "TIMEOUT";

    /// <summary>A success response whose body could not be read.</summary>
    public const string InvalidResponse = "INVALID_RESPONSE";
}
