using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cossistant.Client.Protocol;

/// <summary>
/// Reads <c>{"featureFlags":[...],"onboarding":{...}}</c> into a normalized <see cref="SupportState"/>
/// (non-string flags are dropped, unknown fields ignored) and writes the same shape.
/// </summary>
internal sealed class SupportStateJsonConverter : JsonConverter<SupportState>
{
    public override SupportState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Support state must be a JSON object, not {reader.TokenType}.");
        }

        List<string?>? flags = null;
        var onboarding = OnboardingState.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("featureFlags"u8))
            {
                reader.Read();
                flags = ReadFlags(ref reader);
            }
            else if (reader.ValueTextEquals("onboarding"u8))
            {
                reader.Read();
                onboarding = reader.TokenType == JsonTokenType.Null
                    ? OnboardingState.Empty
                    : OnboardingState.FromJson(JsonElement.ParseValue(ref reader));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return SupportState.FromNormalized(
            flags is null ? [] : SupportFeatureFlags.Normalize(flags), onboarding);
    }

    public override void Write(Utf8JsonWriter writer, SupportState value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("featureFlags");
        foreach (var flag in value.FeatureFlags)
        {
            writer.WriteStringValue(flag);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("onboarding");
        new OnboardingStateJsonConverter().Write(writer, value.Onboarding, options);
        writer.WriteEndObject();
    }

    private static List<string?>? ReadFlags(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"\"featureFlags\" must be an array of strings, not {reader.TokenType}.");
        }

        var flags = new List<string?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                flags.Add(reader.GetString());
            }
            else
            {
                reader.Skip();
            }
        }

        return flags;
    }
}
