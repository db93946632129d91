using System.Text.Json;

namespace Cossistant.Client.Protocol;

/// <summary>A server frame <c>{"type":"…","payload":{…}}</c> whose payload type is known.</summary>
internal sealed record RealtimeEnvelope<TPayload>
{
    public string? Type { get; init; }

    public TPayload? Payload { get; init; }
}

/// <summary>Any server frame, read loosely: the envelope form and the bare error and hello forms.</summary>
internal sealed record RealtimeLooseFrame
{
    public string? Type { get; init; }

    public JsonElement? Payload { get; init; }

    public string? ConnectionId { get; init; }

    public string? Error { get; init; }

    public string? Message { get; init; }

    public JsonElement? Code { get; init; }

    public JsonElement? Details { get; init; }
}
