using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// The emulator's JSON writer: <see cref="Utf8JsonWriter"/> escaping only what <c>JSON.stringify</c> escapes (no
/// <c>\u0022</c> for quotes, no escaped non-ASCII), and the support-state shape of protocol §3.
/// </summary>
internal static class WireJson
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    public static byte[] Write(Action<Utf8JsonWriter> write, bool indented = false)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>The text; indented output uses <c>\n</c> line ends and two spaces, as <c>JSON.stringify(v, null, 2)</c>.</summary>
    public static string WriteText(Action<Utf8JsonWriter> write, bool indented = false)
    {
        var text = Encoding.UTF8.GetString(Write(write, indented));
        return indented ? text.Replace("\r\n", "\n", StringComparison.Ordinal) : text;
    }

    /// <summary><c>{"featureFlags":[...],"onboarding":{"steps":{"id":{"completed":b,"metadata":{...}|null}}}}</c>.</summary>
    public static void WriteState(Utf8JsonWriter writer, ResolvedState state)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("featureFlags");
        foreach (var flag in state.FeatureFlags)
        {
            writer.WriteStringValue(flag);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("onboarding");
        writer.WriteStartObject("steps");
        foreach (var (id, step) in state.Onboarding.Steps)
        {
            writer.WriteStartObject(id);
            writer.WriteBoolean("completed", step.Completed);
            WriteNullable(writer, "metadata", step.Metadata);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteNullable(Utf8JsonWriter writer, string name, JsonElement? value)
    {
        writer.WritePropertyName(name);
        if (value is { } element)
        {
            element.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
