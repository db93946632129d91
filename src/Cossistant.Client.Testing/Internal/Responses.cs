using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cossistant.Client.Testing.Internal;

/// <summary>The upstream server's response shapes.</summary>
internal static class Responses
{
    public static Task Text(HttpContext context, int status, string text, string contentType = "application/octet-stream")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(text);
    }

    /// <summary><c>{"error":"CODE","message":"..."}</c>.</summary>
    public static Task Error(HttpContext context, int status, string code, string message) =>
        Json(context, status, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        });

    /// <summary>The validation shape <c>{"success":false,"error":{"name":"ZodError","message":"[issues as JSON text]"}}</c>.</summary>
    public static Task Validation(HttpContext context, IEnumerable<ZodIssue> issues) =>
        Json(context, 400, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("success", false);
            writer.WriteStartObject("error");
            writer.WriteString("name", "ZodError");
            writer.WriteString("message", ZodIssue.ToText(issues));
            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    public static Task Json(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var body = WireJson.Write(write);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    public static Task State(HttpContext context, ResolvedState state) => Json(context, 200, writer => WireJson.WriteState(writer, state));
}
