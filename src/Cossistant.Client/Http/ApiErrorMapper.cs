using System.Net;
using System.Text;
using System.Text.Json;
using Cossistant.Client.Errors;

namespace Cossistant.Client.Http;

/// <summary>
/// Maps an error response to the exception family. Reads every body shape the API uses: <c>{error,message}</c>,
/// <c>{code,message}</c>, the validation shape <c>{success:false,error:{name,message}}</c> and bare text (whatever
/// the content type says). Configured keys are scrubbed from every string it produces.
/// </summary>
internal sealed class ApiErrorMapper(SecretScrubber scrubber)
{
    private const int MaxTextLength = 300;

    public CossistantApiException Map(HttpMethod method, string path, HttpStatusCode status, string? reasonPhrase, string body)
    {
        var (code, serverMessage, details) = ReadBody(body);
        code = Scrub(code);
        serverMessage = Scrub(serverMessage);
        details = Scrub(details);

        var statusCode = (int)status;
        var message = new StringBuilder()
            .Append(method.Method).Append(' ').Append(path).Append(" failed with HTTP ").Append(statusCode)
            .Append(' ').Append(reasonPhrase is { Length: > 0 } ? reasonPhrase : status.ToString());
        if (code is not null)
        {
            message.Append(" (").Append(code).Append(')');
        }

        if (serverMessage is not null)
        {
            message.Append(": ").Append(serverMessage);
        }

        message.Append(Hint(statusCode));
        var text = message.ToString();
        return statusCode switch
        {
            401 or 403 => new CossistantAuthenticationException(text, statusCode, code, serverMessage, details),
            400 or 422 => new CossistantValidationException(text, statusCode, code, serverMessage, details),
            _ => new CossistantApiException(text, statusCode, code, serverMessage, details),
        };
    }

    public string? Scrub(string? text) => scrubber.Scrub(text);

    private static string Hint(int status) => status switch
    {
        401 => ". Check the PublicKey or PrivateApiKey option.",
        403 => ". Check that the Origin option names a domain on the website's allowlist.",
        _ => string.Empty,
    };

    private static (string? Code, string? Message, string? Details) ReadBody(string body)
    {
        var trimmed = body.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            return (null, null, null);
        }

        if (trimmed[0] == '{' && TryReadJson(body, out var fromJson))
        {
            return fromJson;
        }

        if (trimmed[0] == '<' && HtmlTitle(trimmed) is { } title)
        {
            return (null, $"HTML error page: {title}", null);
        }

        return (null, Shorten(trimmed.ToString()), null);
    }

    private static string? HtmlTitle(ReadOnlySpan<char> html)
    {
        var start = html.IndexOf("<title>", StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return null;
        }

        var rest = html[(start + "<title>".Length)..];
        var end = rest.IndexOf("</title>", StringComparison.OrdinalIgnoreCase);
        return end <= 0 ? null : Shorten(rest[..end].ToString());
    }

    private static bool TryReadJson(string body, out (string? Code, string? Message, string? Details) result)
    {
        result = default;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var message = String(root, "message");
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                // {"success":false,"error":{"name":"ZodError","message":"[{...issues...}]"}}
                var issues = String(error, "message");
                result = (String(error, "name"), IssueMessages(issues) ?? Shorten(issues), issues);
                return true;
            }

            var code = String(root, "error") ?? Scalar(root, "code");
            var details = root.TryGetProperty("details", out var d)
                ? (d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText())
                : null;
            result = (code, message, details);
            return code is not null || message is not null || details is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The <c>message</c> of each validation issue, when the text is a JSON array of issues.</summary>
    private static string? IssueMessages(string? issues)
    {
        if (issues is null || !issues.AsSpan().TrimStart().StartsWith("["))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(issues);
            var messages = document.RootElement.EnumerateArray()
                .Select(issue => issue.ValueKind == JsonValueKind.Object ? String(issue, "message") : null)
                .OfType<string>()
                .ToList();
            return messages.Count == 0 ? null : string.Join("; ", messages);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Scalar(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string? Shorten(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var collapsed = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length <= MaxTextLength ? collapsed : collapsed.Remove(MaxTextLength) + "…";
    }
}
