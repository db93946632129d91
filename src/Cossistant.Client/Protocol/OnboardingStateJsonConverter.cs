using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cossistant.Client.Protocol;

/// <summary>Reads onboarding with the normalization rule; writes <c>{"steps":{id:{completed,metadata}}}</c>.</summary>
internal sealed class OnboardingStateJsonConverter : JsonConverter<OnboardingState>
{
    public override bool HandleNull => true;

    public override OnboardingState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? OnboardingState.Empty : OnboardingState.FromJson(JsonElement.ParseValue(ref reader));

    public override void Write(Utf8JsonWriter writer, OnboardingState value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("steps");
        foreach (var (id, step) in value.Steps)
        {
            writer.WriteStartObject(id);
            writer.WriteBoolean("completed", step.Completed);
            writer.WritePropertyName("metadata");
            if (step.Metadata is { } metadata)
            {
                metadata.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
