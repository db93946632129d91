using System.Text;
using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// The key order of a Postgres <c>jsonb</c> value, in which the API answers stored onboarding (the traces show it):
/// shorter keys first by UTF-8 length, then byte by byte. A key repeated in one object keeps its last value, as
/// <c>JSON.parse</c> does before the value is stored.
/// </summary>
internal sealed class JsonbOrder : IComparer<string>
{
    private JsonbOrder()
    {
    }

    public static JsonbOrder Keys { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var left = Encoding.UTF8.GetBytes(x);
        var right = Encoding.UTF8.GetBytes(y);
        return left.Length != right.Length ? left.Length.CompareTo(right.Length) : left.AsSpan().SequenceCompareTo(right);
    }

    /// <summary>The value as the database gives it back: every object's keys in jsonb order, repeated keys folded.</summary>
    public static JsonElement Canonicalize(JsonElement value)
    {
        var bytes = WireJson.Write(writer => WriteCanonical(writer, value));
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new SortedDictionary<string, JsonElement>(Keys);
                foreach (var property in value.EnumerateObject())
                {
                    properties[property.Name] = property.Value;
                }

                writer.WriteStartObject();
                foreach (var (name, item) in properties)
                {
                    writer.WritePropertyName(name);
                    WriteCanonical(writer, item);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}
