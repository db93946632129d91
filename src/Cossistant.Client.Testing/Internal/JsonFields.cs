using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>Reading a request body's object as <c>JSON.parse</c> does: a repeated key keeps its last value.</summary>
internal static class JsonFields
{
    /// <summary>The last value of the key, or null when the key is absent (or the value is not an object).</summary>
    public static JsonElement? Get(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        JsonElement? found = null;
        foreach (var property in value.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                found = property.Value;
            }
        }

        return found;
    }

    public static string? String(JsonElement value, string name) =>
        Get(value, name) is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;
}
