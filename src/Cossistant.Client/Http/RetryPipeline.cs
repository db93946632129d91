using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Cossistant.Client.Http;

/// <summary>
/// The Polly pipeline around one REST call: retries (jittered exponential backoff, <c>Retry-After</c> honoured)
/// over a per-attempt timeout. Every delay runs on the options' <see cref="TimeProvider"/>.
/// </summary>
internal static class RetryPipeline
{
    private const HttpStatusCode TooManyRequests = (HttpStatusCode)429; // not named on netstandard2.0

    public static ResiliencePipeline<HttpResponseMessage> Create(CossistantRetryOptions options, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, options, time)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result, time)),
                OnRetry = args =>
                {
                    Log.RetryingRequest(
                        logger,
                        args.AttemptNumber + 1,
                        args.RetryDelay,
                        args.Outcome.Result is { } response ? (int)response.StatusCode : null,
                        args.Outcome.Exception?.GetType().Name);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(options.AttemptTimeout);
        return builder.Build();
    }

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or TooManyRequests || (int)status >= 500;

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, CossistantRetryOptions options, TimeProvider time) =>
        outcome switch
        {
            { Exception: HttpRequestException or TimeoutRejectedException } => true,
            { Result: { } response } when IsTransient(response.StatusCode) =>
                RetryAfter(response, time) is not { } wait || wait <= options.MaxRetryAfter,
            _ => false,
        };

    /// <summary>The wait a 429 or 503 asks for in <c>Retry-After</c> (seconds or an HTTP date), if any.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time)
    {
        if (response is not { StatusCode: TooManyRequests or HttpStatusCode.ServiceUnavailable }
            || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } value ? (value < TimeSpan.Zero ? TimeSpan.Zero : value) : null;
    }
}
