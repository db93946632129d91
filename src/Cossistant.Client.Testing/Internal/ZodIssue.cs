using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// One body-validation issue as the upstream validator (Zod 4) reports it, with its keys in Zod's order; a 400 carries
/// the list as indented JSON text in <c>error.message</c> (traces 03 and 04).
/// </summary>
internal sealed class ZodIssue
{
    private static readonly Action<Utf8JsonWriter> Nothing = _ => { };

    private readonly Action<Utf8JsonWriter> _beforeCode;
    private readonly Action<Utf8JsonWriter> _afterCode;

    private ZodIssue(string code, object[] path, string message, Action<Utf8JsonWriter> beforeCode, Action<Utf8JsonWriter> afterCode)
    {
        Code = code;
        Path = path;
        Message = message;
        _beforeCode = beforeCode;
        _afterCode = afterCode;
    }

    public string Code { get; }

    /// <summary>Property names (<see cref="string"/>) and array indexes (<see cref="int"/>).</summary>
    public object[] Path { get; }

    public string Message { get; }

    /// <summary>Whether the object's refinements are skipped after this issue, as Zod does after a type error.</summary>
    public bool Aborts => Code == "invalid_type";

    /// <summary>A value of the wrong type; <paramref name="received"/> null means the key is absent.</summary>
    public static ZodIssue InvalidType(string expected, JsonElement? received, params object[] path) => new(
        "invalid_type", path, $"Invalid input: expected {expected}, received {TypeOf(received)}",
        writer => writer.WriteString("expected", expected), Nothing);

    /// <summary>An empty string where at least one character is required.</summary>
    public static ZodIssue TooShort(params object[] path) => new(
        "too_small", path, "Too small: expected string to have >=1 characters",
        writer => writer.WriteString("origin", "string"),
        writer =>
        {
            writer.WriteNumber("minimum", 1);
            writer.WriteBoolean("inclusive", true);
        });

    /// <summary>A value outside an enumeration.</summary>
    public static ZodIssue InvalidOption(string[] values, params object[] path) => new(
        "invalid_value", path, "Invalid option: expected one of " + string.Join("|", values.Select(value => $"\"{value}\"")),
        Nothing,
        writer =>
        {
            writer.WriteStartArray("values");
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        });

    /// <summary>A failed refinement with the server's own message.</summary>
    public static ZodIssue Custom(string message, params object[] path) => new("custom", path, message, Nothing, Nothing);

    /// <summary>The issues as <c>JSON.stringify(issues, null, 2)</c> writes them.</summary>
    public static string ToText(IEnumerable<ZodIssue> issues) => WireJson.WriteText(
        writer =>
        {
            writer.WriteStartArray();
            foreach (var issue in issues)
            {
                issue.Write(writer);
            }

            writer.WriteEndArray();
        },
        indented: true);

    private static string TypeOf(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Undefined => "undefined",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        _ => "object",
    };

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        _beforeCode(writer);
        writer.WriteString("code", Code);
        _afterCode(writer);
        writer.WriteStartArray("path");
        foreach (var segment in Path)
        {
            if (segment is int index)
            {
                writer.WriteNumberValue(index);
            }
            else
            {
                writer.WriteStringValue((string)segment);
            }
        }

        writer.WriteEndArray();
        writer.WriteString("message", Message);
        writer.WriteEndObject();
    }
}
