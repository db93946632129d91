namespace Cossistant.Client.Http;

/// <summary>Whether a write that was sent and then failed may have been applied by the server anyway.</summary>
internal static class WriteOutcome
{
    /// <summary>
    /// True for no answer at all (network error, timeout), a 408 or 5xx (a gateway may answer after the server
    /// changed), or a success that could not be read. A 4xx refusal (validation, keys, not found, rate limit) was not
    /// applied.
    /// </summary>
    public static bool IsUnknown(Exception exception) =>
        exception is not CossistantException { StatusCode: { } status } || status is 408 or >= 500 or (>= 200 and < 300);
}
