using System.Net.WebSockets;
using System.Text;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>What a raw <see cref="ClientWebSocket"/> saw of a socket the server refused: the upgrade status, the frames and the close.</summary>
internal sealed record RefusedSocket(int HttpStatus, IReadOnlyList<string> Frames, WebSocketCloseStatus? CloseStatus, string? CloseReason)
{
    /// <summary>Opens a socket and reads it until the server closes it (at most 10 s).</summary>
    public static async Task<RefusedSocket> ConnectAsync(Uri url, IEnumerable<KeyValuePair<string, string>> headers)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        await socket.ConnectAsync(url, Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var frames = new List<string>();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return new RefusedSocket((int)socket.HttpStatusCode, frames, result.CloseStatus, result.CloseStatusDescription);
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                frames.Add(Encoding.UTF8.GetString(message.ToArray()));
                message.SetLength(0);
            }
        }
    }
}
