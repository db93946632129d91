using System.Globalization;
using System.Net;
using System.Net.WebSockets;
#if !NET8_0_OR_GREATER
using System.Reflection;
#endif

namespace Cossistant.Client.Realtime;

/// <summary>
/// The HTTP answer to a refused WebSocket upgrade (status and <c>Retry-After</c>), where the runtime reports it.
/// .NET 7 and later expose it on <see cref="ClientWebSocket"/> once asked to collect it; the net8.0 and net10.0
/// builds read it directly. The netstandard2.0 build uses those members when the runtime it is loaded into has them,
/// and otherwise the response that .NET Framework's socket attaches to its <see cref="WebException"/>.
/// </summary>
internal static class UpgradeAnswer
{
#if !NET8_0_OR_GREATER
    private static readonly PropertyInfo? CollectDetails = typeof(ClientWebSocketOptions).GetProperty("CollectHttpResponseDetails");
    private static readonly PropertyInfo? StatusCode = typeof(ClientWebSocket).GetProperty("HttpStatusCode");
    private static readonly PropertyInfo? ResponseHeaders = typeof(ClientWebSocket).GetProperty("HttpResponseHeaders");
#endif

    /// <summary>Asks the socket to keep the upgrade's HTTP answer (a no-op where the runtime cannot).</summary>
    public static void Collect(ClientWebSocketOptions options)
    {
#if NET8_0_OR_GREATER
        options.CollectHttpResponseDetails = true;
#else
        CollectDetails?.SetValue(options, true);
#endif
    }

    /// <summary>The status (0 when unknown) and <c>Retry-After</c> of the answer that refused the upgrade.</summary>
    public static (int Status, TimeSpan? RetryAfter) Read(ClientWebSocket socket, Exception failure)
    {
#if NET8_0_OR_GREATER
        _ = failure;
        return ((int)socket.HttpStatusCode, RetryAfter(socket.HttpResponseHeaders));
#else
        if (StatusCode?.GetValue(socket) is HttpStatusCode status)
        {
            return ((int)status, RetryAfter(ResponseHeaders?.GetValue(socket) as IReadOnlyDictionary<string, IEnumerable<string>>));
        }

        for (var exception = failure; exception is not null; exception = exception.InnerException)
        {
            if (exception is WebException { Response: HttpWebResponse response })
            {
                return ((int)response.StatusCode, Seconds(response.Headers["Retry-After"]));
            }
        }

        return (0, null);
#endif
    }

    private static TimeSpan? RetryAfter(IReadOnlyDictionary<string, IEnumerable<string>>? headers)
    {
        if (headers is null)
        {
            return null;
        }

        foreach (var header in headers)
        {
            if (header.Key.Equals("Retry-After", StringComparison.OrdinalIgnoreCase) && header.Value.FirstOrDefault() is { } value)
            {
                return Seconds(value);
            }
        }

        return null;
    }

    private static TimeSpan? Seconds(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
