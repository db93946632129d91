namespace Cossistant.Client.Http;

/// <summary>
/// What differs when the client runs inside a browser (Blazor WebAssembly): the browser owns the sockets, sets the
/// <c>Origin</c> header itself and lets a WebSocket carry no custom header, so credentials go in its query (as the
/// TypeScript browser client does).
/// </summary>
internal static class Platform
{
#if NET8_0_OR_GREATER
    public static bool IsBrowser { get; } = OperatingSystem.IsBrowser();
#else
    // netstandard2.0 never runs in a browser: Blazor WebAssembly apps are net8.0 or later and load that build.
    public static bool IsBrowser => false;
#endif

    /// <summary>The primary handler for the client's own <see cref="HttpClient"/>: pooled sockets, or the browser's fetch.</summary>
    public static HttpMessageHandler CreateHandler() =>
#if NET8_0_OR_GREATER
        IsBrowser ? new HttpClientHandler() : new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
#else
        // .NET Framework and Unity: the platform's handler (its connections follow ServicePointManager's DNS rules).
        new HttpClientHandler();
#endif
}
