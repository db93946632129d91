namespace Cossistant.Client.Http;

/// <summary>
/// What differs when the client runs inside a browser (Blazor WebAssembly): the browser owns the sockets, sets the
/// <c>Origin</c> header itself and lets a WebSocket carry no custom header, so credentials go in its query (as the
/// TypeScript browser client does).
/// </summary>
internal static class Platform
{
    public static bool IsBrowser { get; } = OperatingSystem.IsBrowser();

    /// <summary>The primary handler for the client's own <see cref="HttpClient"/>: pooled sockets, or the browser's fetch.</summary>
    public static HttpMessageHandler CreateHandler() =>
        IsBrowser ? new HttpClientHandler() : new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
}
