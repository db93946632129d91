using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cossistant.Client.Diagnostics;
using Cossistant.Client.Errors;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Cossistant.Client.Http;

/// <summary>
/// Sends REST calls: builds each attempt with the auth headers (keys only in headers), runs the retry pipeline,
/// reads the JSON answer or maps the error. Cancellation by the caller surfaces as-is.
/// </summary>
internal sealed partial class CossistantHttp
{
    private readonly HttpClient _http;
    private readonly string _apiBase;
    private readonly CossistantClientOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ApiErrorMapper _errors;
    private readonly ILogger _logger;

    public CossistantHttp(HttpClient http, CossistantClientOptions options, ILogger logger, ClientMetrics metrics, RuntimeHealth health)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _metrics = metrics;
        _health = health;
        _apiBase = options.ApiUrl.AbsoluteUri.TrimEnd('/');
        _pipeline = RetryPipeline.Create(options.Retry, options.TimeProvider, logger);
        _errors = new ApiErrorMapper(new SecretScrubber(options.Secrets()));
    }

    public ApiErrorMapper Errors => _errors;

    /// <summary>
    /// Runs one API operation (every retry included) in its own span, records it in the metrics, and notes whether
    /// the server accepted the keys.
    /// </summary>
    public async Task<TResponse> SendAsync<TRequest, TResponse>(
        ApiOperation operation,
        string? visitorId,
        TRequest body,
        JsonTypeInfo<TRequest>? bodyType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        using var activity = StartActivity(operation, visitorId);
        var started = _options.TimeProvider.GetTimestamp();
        var call = new Call(this, operation, visitorId);
        try
        {
            var result = await SendCoreAsync(call, body, bodyType, responseType, cancellationToken).ConfigureAwait(false);
            Complete(activity, call, started, null);
            return result;
        }
        catch (Exception exception)
        {
            Complete(activity, call, started, exception);
            throw;
        }
    }

    private async Task<TResponse> SendCoreAsync<TRequest, TResponse>(
        Call call,
        TRequest body,
        JsonTypeInfo<TRequest>? bodyType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        var operation = call.Operation;
        var (method, path) = (operation.Method, operation.Route);
        call.Payload = bodyType is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, bodyType);
        call.Uri = new Uri(_apiBase + path, UriKind.Absolute);
        Log.SendingRequest(_logger, method.Method, path);

        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                static async (call, token) =>
                {
                    call.Attempts++;
                    using var request = call.Owner.CreateRequest(call.Operation.Method, call.Uri, call.VisitorId, call.Payload);
                    return await call.Owner._http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                },
                call,
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException exception)
        {
            throw Fail(method, path, new CossistantApiException(
                $"{method.Method} {path} timed out after {_options.Retry.AttemptTimeout} on every attempt.",
                null, CossistantErrorCodes.Timeout, null, null, exception));
        }
        catch (HttpRequestException exception)
        {
            throw Fail(method, path, new CossistantApiException(
                $"{method.Method} {path} failed: no response from the server ({_errors.Scrub(exception.Message)}).",
                null, CossistantErrorCodes.NetworkError, null, null, exception));
        }
        catch (OperationCanceledException exception)
        {
            // HttpClient.Timeout, not the caller's token.
            throw Fail(method, path, new CossistantApiException(
                $"{method.Method} {path} timed out (HttpClient.Timeout).", null, CossistantErrorCodes.Timeout, null, null, exception));
        }

        using (response)
        {
            call.StatusCode = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Fail(method, path, _errors.Map(method, path, response.StatusCode, response.ReasonPhrase, text));
            }

            try
            {
                return JsonSerializer.Deserialize(text, responseType)
                    ?? throw new JsonException("The response body is null.");
            }
            catch (JsonException exception)
            {
                throw Fail(method, path, new CossistantApiException(
                    $"{method.Method} {path} returned HTTP {(int)response.StatusCode} with a body the SDK cannot read: {exception.Message}",
                    (int)response.StatusCode, CossistantErrorCodes.InvalidResponse, null, null, exception));
            }
        }
    }

    private CossistantApiException Fail(HttpMethod method, string path, CossistantApiException exception)
    {
        Log.RequestFailed(_logger, method.Method, path, exception.Message);
        return exception;
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, Uri uri, string? visitorId, byte[]? payload)
    {
        var request = new HttpRequestMessage(method, uri);
        var headers = request.Headers;
        if (!string.IsNullOrEmpty(_options.PrivateApiKey))
        {
            headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.PrivateApiKey);
        }

        if (!string.IsNullOrEmpty(_options.PublicKey))
        {
            headers.TryAddWithoutValidation("X-Public-Key", _options.PublicKey);
        }

        if (!string.IsNullOrWhiteSpace(_options.Origin) && !Platform.IsBrowser) // a browser sets its own Origin
        {
            headers.TryAddWithoutValidation("Origin", _options.Origin);
        }

        if (visitorId is not null)
        {
            headers.TryAddWithoutValidation("X-Visitor-Id", visitorId);
        }

        headers.Accept.ParseAdd("application/json");
        if (payload is not null)
        {
            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }
}
