using Microsoft.Extensions.Logging;

namespace Cossistant.Client;

/// <summary>Source-generated log messages. None of them takes a key.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Sending {Method} {Path}")]
    public static partial void SendingRequest(ILogger logger, string method, string path);

    [LoggerMessage(2, LogLevel.Warning, "Retrying a request, attempt {Attempt} in {Delay} (status {Status}, exception {Exception})")]
    public static partial void RetryingRequest(ILogger logger, int attempt, TimeSpan delay, int? status, string? exception);

    [LoggerMessage(3, LogLevel.Warning, "{Method} {Path} failed: {Message}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, string message);

    [LoggerMessage(4, LogLevel.Warning, "Ignoring the stored visitor id: it is not a ULID")]
    public static partial void InvalidStoredVisitorId(ILogger logger);

    [LoggerMessage(5, LogLevel.Information, "Website {WebsiteId} loaded; visitor {VisitorId}, blocked: {IsBlocked}")]
    public static partial void WebsiteLoaded(ILogger logger, string websiteId, string? visitorId, bool isBlocked);

    [LoggerMessage(6, LogLevel.Debug, "Support state from {Source} ignored: newer state arrived after it was requested")]
    public static partial void StaleStateIgnored(ILogger logger, string source);

    [LoggerMessage(7, LogLevel.Error, "A support state change handler threw")]
    public static partial void ChangeHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Onboarding operation on step {StepId} failed and was rolled back")]
    public static partial void OperationRolledBack(ILogger logger, string? stepId, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Could not store the visitor id")]
    public static partial void VisitorIdStoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "Could not read the stored visitor id; loading as a first visit")]
    public static partial void VisitorIdReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "The refetch that settles the support state (after a realtime (re)connection, or a write whose outcome is unknown) failed; retrying with backoff")]
    public static partial void CatchUpFailed(ILogger logger, Exception exception);

    [LoggerMessage(12, LogLevel.Warning, "Refreshing a cached visitor's support state failed; it is retried when its time to live runs out")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Debug, "Ignored a supportStateUpdated event for website {WebsiteId}, visitor {VisitorId}")]
    public static partial void ForeignEventIgnored(ILogger logger, string? websiteId, string? visitorId);

    [LoggerMessage(14, LogLevel.Warning, "Could not read the last-known support state; starting without it")]
    public static partial void LastKnownReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Warning, "Could not save the last-known support state; the next answer is saved again")]
    public static partial void LastKnownWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "Ignored a saved last-known support state: {Reason}")]
    public static partial void LastKnownIgnored(ILogger logger, string reason);
}
