namespace Cossistant.Client;

/// <summary>
/// How REST calls are retried. Transient failures are retried: network errors, timeouts, HTTP 408, 429
/// (honouring <c>Retry-After</c>) and 5xx. Validation (400) and authentication (401/403) failures never are.
/// Every support call is idempotent in effect, so retries are safe.
/// </summary>
public sealed class CossistantRetryOptions
{
    /// <summary>How many times a failed call is retried after the first attempt. Default 3; 0 disables retries.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry's delay; each next one doubles it, with jitter. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between two attempts. Default 30 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest <c>Retry-After</c> the client waits for; a 429 asking for longer fails at once with its
    /// status. Default 60 s.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may take before it counts as a (retried) timeout. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal IEnumerable<string> Validate()
    {
        if (MaxRetryAttempts is < 0 or > 100)
        {
            yield return "Retry.MaxRetryAttempts must be between 0 and 100.";
        }

        if (BaseDelay < TimeSpan.Zero || BaseDelay > TimeSpan.FromDays(1))
        {
            yield return "Retry.BaseDelay must be between 0 and 1 day.";
        }

        if (MaxDelay < BaseDelay || MaxDelay > TimeSpan.FromDays(1))
        {
            yield return "Retry.MaxDelay must be at least Retry.BaseDelay and at most 1 day.";
        }

        if (MaxRetryAfter < TimeSpan.Zero)
        {
            yield return "Retry.MaxRetryAfter must not be negative.";
        }

        if (AttemptTimeout <= TimeSpan.Zero || AttemptTimeout > TimeSpan.FromDays(1))
        {
            yield return "Retry.AttemptTimeout must be greater than 0 and at most 1 day.";
        }
    }
}
