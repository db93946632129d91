using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cossistant.Client.Protocol;

/// <summary>
/// The <c>PATCH /support/onboarding</c> body. Writes <c>"metadata"</c> only when the update sets it (so
/// <c>null</c> clears and absence keeps); reads with the server's validation and throws
/// <see cref="JsonException"/> for a body the server answers with 400.
/// </summary>
internal sealed class OnboardingUpdateJsonConverter : JsonConverter<OnboardingUpdate>
{
    internal const string InvalidBodyMessage = "Provide reset: true or a stepId with completed and/or metadata.";

    public override OnboardingUpdate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Invalid input: expected object.");
        }

        string? stepId = null;
        bool? completed = null;
        bool? reset = null;
        var hasMetadata = false;
        JsonElement? metadata = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("stepId"u8))
            {
                reader.Read();
                stepId = reader.TokenType == JsonTokenType.String
                    ? reader.GetString()
                    : throw Invalid("stepId", "string", reader.TokenType);
                if (stepId!.Length == 0)
                {
                    throw new JsonException("Too small: expected string to have >=1 characters (stepId).");
                }
            }
            else if (reader.ValueTextEquals("completed"u8))
            {
                reader.Read();
                completed = ReadBoolean(ref reader, "completed");
            }
            else if (reader.ValueTextEquals("reset"u8))
            {
                reader.Read();
                reset = ReadBoolean(ref reader, "reset");
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                hasMetadata = true;
                metadata = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.StartObject => JsonElement.ParseValue(ref reader),
                    _ => throw Invalid("metadata", "record", reader.TokenType),
                };
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reset == true)
        {
            return OnboardingUpdate.Reset();
        }

        if (stepId is null || (completed is null && !hasMetadata))
        {
            throw new JsonException(InvalidBodyMessage);
        }

        return OnboardingUpdate.FromWire(stepId, completed, hasMetadata, metadata, reset: false);
    }

    public override void Write(Utf8JsonWriter writer, OnboardingUpdate value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.IsReset)
        {
            writer.WriteBoolean("reset", true);
            writer.WriteEndObject();
            return;
        }

        writer.WriteString("stepId", value.StepId);
        if (value.Completed is { } completed)
        {
            writer.WriteBoolean("completed", completed);
        }

        if (value.HasMetadata)
        {
            writer.WritePropertyName("metadata");
            if (value.Metadata is { } metadata)
            {
                metadata.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndObject();
    }

    private static bool ReadBoolean(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Invalid(name, "boolean", reader.TokenType),
    };

    private static JsonException Invalid(string name, string expected, JsonTokenType actual) =>
        new($"Invalid input: expected {expected}, received {Describe(actual)} ({name}).");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
