using System.Diagnostics;
using Cossistant.Client.Diagnostics;

namespace Cossistant.Client.Http;

internal sealed partial class CossistantHttp
{
    private readonly ClientMetrics _metrics;
    private readonly RuntimeHealth _health;

    /// <summary>The span of one operation, when something listens: tags that never carry a key.</summary>
    private Activity? StartActivity(ApiOperation operation, string? visitorId)
    {
        var activity = Telemetry.Source.StartActivity(operation.SpanName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ClientMetrics.OperationTag, operation.Name);
            activity.SetTag("http.request.method", operation.Method.Method);
            activity.SetTag("http.route", operation.Route);
            activity.SetTag("server.address", _options.ApiUrl.Host);
            activity.SetTag("server.port", _options.ApiUrl.Port);
            if (_options.TraceVisitorIds && visitorId is not null)
            {
                activity.SetTag("cossistant.visitor.id", visitorId);
            }
        }

        return activity;
    }

    /// <summary>Closes the span, records the metrics and what the answer says about the keys.</summary>
    private void Complete(Activity? activity, Call call, long started, Exception? failure)
    {
        var outcome = Outcome(failure);
        var retries = Math.Max(0, call.Attempts - 1);
        if (call.StatusCode is 401 or 403)
        {
            _health.KeysRefused(call.StatusCode.Value, failure?.Message ?? "refused");
        }
        else if (failure is null)
        {
            _health.KeysAccepted();
        }

        _metrics.RecordRequest(call.Operation.Name, outcome, call.StatusCode, retries, _options.TimeProvider.GetElapsedTime(started).TotalSeconds);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("cossistant.retry_count", retries);
        activity.SetTag(ClientMetrics.OutcomeTag, outcome);
        if (call.StatusCode is { } status)
        {
            activity.SetTag(ClientMetrics.StatusCodeTag, status);
        }

        if (failure is null)
        {
            activity.SetStatus(ActivityStatusCode.Ok);
        }
        else
        {
            activity.SetTag("error.type", call.StatusCode is { } code && outcome == "http_error" ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : outcome);
            activity.SetStatus(ActivityStatusCode.Error, failure.Message);
        }
    }

    /// <summary>The outcome tag: <c>success</c>, <c>http_error</c>, <c>timeout</c>, <c>network_error</c>, <c>invalid_response</c> or <c>cancelled</c>.</summary>
    private static string Outcome(Exception? failure) => failure switch
    {
        null => "success",
        OperationCanceledException => "cancelled",
        CossistantApiException { ErrorCode: CossistantErrorCodes.Timeout } => "timeout",
        CossistantApiException { ErrorCode: CossistantErrorCodes.NetworkError } => "network_error",
        CossistantApiException { ErrorCode: CossistantErrorCodes.InvalidResponse } => "invalid_response",
        CossistantApiException { StatusCode: not null } => "http_error",
        _ => "error",
    };

    /// <summary>One call: what every attempt sends, and what the telemetry reports of it.</summary>
    private sealed class Call(CossistantHttp owner, ApiOperation operation, string? visitorId)
    {
        public CossistantHttp Owner { get; } = owner;

        public ApiOperation Operation { get; } = operation;

        public string? VisitorId { get; } = visitorId;

        public Uri Uri { get; set; } = null!;

        public byte[]? Payload { get; set; }

        public int Attempts { get; set; }

        /// <summary>The status of the last answer, when one arrived.</summary>
        public int? StatusCode { get; set; }
    }
}
