using Microsoft.AspNetCore.Http;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// Cross-origin access, as the API allows it to browsers (the TypeScript SDK and Blazor WebAssembly call it from the
/// app's own origin): every answer carries <c>Access-Control-Allow-Origin: *</c> (as in the traces), and a preflight
/// is answered 204 with the methods the API serves and the headers the browser asked for.
/// </summary>
internal static class Cors
{
    public static void AllowAnyOrigin(HttpResponse response) => response.Headers.AccessControlAllowOrigin = "*";

    public static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.AccessControlRequestMethod.Count > 0;

    public static Task PreflightAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = 204;
        response.Headers.AccessControlAllowMethods = "GET,HEAD,PUT,POST,DELETE,PATCH";
        var requested = context.Request.Headers.AccessControlRequestHeaders;
        if (requested.Count > 0)
        {
            response.Headers.AccessControlAllowHeaders = requested;
            response.Headers.Vary = "Access-Control-Request-Headers";
        }

        return Task.CompletedTask;
    }
}
