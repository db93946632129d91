using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cossistant.Client.Tool;

/// <summary>
/// Where a command writes: results to standard output, errors to standard error, one line each. Every line is
/// scrubbed of the private key the command read from the environment, should any message ever carry it.
/// </summary>
internal sealed class ToolConsole
{
    private static readonly JsonSerializerOptions JsonLine = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TextWriter _output;
    private readonly TextWriter _error;

    /// <summary>Creates a console over two writers.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    public ToolConsole(TextWriter output, TextWriter error)
    {
        _output = output;
        _error = error;
    }

    /// <summary>The process's console.</summary>
    public static ToolConsole Standard { get; } = new(Console.Out, Console.Error);

    /// <summary>A secret that must never be written (the private key from the environment), or null.</summary>
    public string? Secret { get; set; }

    /// <summary>Writes a result line to standard output.</summary>
    /// <param name="line">The line.</param>
    public void WriteLine(string line) => _output.WriteLine(Scrub(line));

    /// <summary>Writes a JSON object as one line to standard output.</summary>
    /// <param name="json">The object.</param>
    public void WriteJson(JsonNode json) => WriteLine(ToLine(json));

    /// <summary>Writes an error line to standard error.</summary>
    /// <param name="line">The line.</param>
    public void WriteError(string line) => _error.WriteLine(Scrub(line));

    /// <summary>Writes a JSON object as one line to standard error.</summary>
    /// <param name="json">The object.</param>
    public void WriteErrorJson(JsonNode json) => WriteError(ToLine(json));

    private static string ToLine(JsonNode json) => json.ToJsonString(JsonLine);

    private string Scrub(string line) =>
        Secret is { Length: > 0 } secret ? line.Replace(secret, "***", StringComparison.Ordinal) : line;
}
