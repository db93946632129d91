using System.Text;
using System.Text.Json;
using Cossistant.Client.Protocol;

namespace Cossistant.Client.Realtime;

/// <summary>Parses server frames. A malformed frame throws <see cref="JsonException"/>; the caller logs and skips it.</summary>
internal static class RealtimeFrameParser
{
    public const string SupportStateUpdatedType = "supportStateUpdated";

    private static readonly RealtimeFrame.Pong PongFrame = new();

    public static RealtimeFrame Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().Trim() is "pong" ? PongFrame : Parse(Encoding.UTF8.GetBytes(text));
    }

    public static RealtimeFrame Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return ParseCore(utf8);
        }
        catch (InvalidOperationException exception)
        {
            // E.g. invalid UTF-8 inside a string value: still just a malformed frame.
            throw new JsonException("The realtime frame is not valid UTF-8 JSON: " + exception.Message, exception);
        }
    }

    private static RealtimeFrame ParseCore(ReadOnlySpan<byte> utf8)
    {
        if (TrimJsonWhitespace(utf8).SequenceEqual("pong"u8))
        {
            return PongFrame;
        }

        if (PeekType(utf8) == SupportStateUpdatedType)
        {
            var envelope = JsonSerializer.Deserialize(utf8, CossistantJsonContext.Default.RealtimeEnvelopeSupportStateUpdatedPayload);
            var payload = envelope?.Payload ?? throw new JsonException("supportStateUpdated frame without a payload.");
            var state = payload.State ?? throw new JsonException("supportStateUpdated frame without a state.");
            return new RealtimeFrame.SupportStateUpdated(payload.WebsiteId, payload.OrganizationId, payload.VisitorId, payload.UserId, state);
        }

        var frame = JsonSerializer.Deserialize(utf8, CossistantJsonContext.Default.RealtimeLooseFrame)
            ?? throw new JsonException("A realtime frame must be a JSON object.");
        return frame.Type switch
        {
            "CONNECTION_ESTABLISHED" or "connection.accepted" => new RealtimeFrame.Hello(
                frame.ConnectionId ?? PayloadString(frame, "connectionId"),
                PayloadString(frame, "websiteId"),
                PayloadString(frame, "visitorId"),
                PayloadString(frame, "organizationId")),
            "error" => ToError(frame),
            null when frame.Error is not null => ToError(frame),
            null => throw new JsonException("A realtime frame needs a \"type\" or an \"error\"."),
            { } type => new RealtimeFrame.Other(type),
        };
    }

    /// <summary>The top-level <c>type</c> string, read without materializing the frame; null when absent.</summary>
    private static string? PeekType(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A realtime frame must be a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                return reader.ValueTextEquals(SupportStateUpdatedType) ? SupportStateUpdatedType : reader.GetString();
            }

            reader.Skip();
        }

        return null;
    }

    private static string? PayloadString(RealtimeLooseFrame frame, string name) =>
        frame.Payload is { ValueKind: JsonValueKind.Object } payload
        && payload.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static RealtimeFrame.Error ToError(RealtimeLooseFrame frame) => new(
        frame.Error,
        frame.Message ?? PayloadString(frame, "message"),
        frame.Code is { ValueKind: JsonValueKind.Number } code && code.TryGetInt32(out var value) ? value : null,
        frame.Details is { } details ? (details.ValueKind == JsonValueKind.String ? details.GetString() : details.GetRawText()) : null);

    // JSON's four whitespace bytes (netstandard2.0's System.Memory has no Trim over a set of values).
    private static ReadOnlySpan<byte> TrimJsonWhitespace(ReadOnlySpan<byte> utf8)
    {
        var start = 0;
        var end = utf8.Length;
        while (start < end && IsJsonWhitespace(utf8[start]))
        {
            start++;
        }

        while (end > start && IsJsonWhitespace(utf8[end - 1]))
        {
            end--;
        }

        return utf8.Slice(start, end - start);
    }

    private static bool IsJsonWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';
}
