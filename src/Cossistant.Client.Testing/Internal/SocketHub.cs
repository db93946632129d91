using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// The open realtime sockets, and sending to exactly the sockets of one visitor in one website: a socket that passed a
/// visitor id of another website never gets that visitor's events.
/// </summary>
internal sealed class SocketHub
{
    private readonly ConcurrentDictionary<Guid, Connection> _connections = new();
    private readonly ConcurrentDictionary<string, string> _lastEvents = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public Connection Add(WebSocket socket, string websiteId, string? visitorId)
    {
        var connection = new Connection(Guid.NewGuid(), socket, websiteId, visitorId);
        _connections[connection.Id] = connection;
        return connection;
    }

    public void Remove(Connection connection)
    {
        if (_connections.TryRemove(connection.Id, out _))
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// Freezes the open sockets (of one visitor, or all): the TCP connection stays open, but nothing is sent to them
    /// and nothing they send is read, so no pong and no close handshake ever comes back, as on a frozen network path.
    /// </summary>
    public int Freeze(string? visitorId)
    {
        var frozen = 0;
        foreach (var connection in _connections.Values)
        {
            if ((visitorId is null || connection.VisitorId == visitorId) && connection.Freeze())
            {
                frozen++;
            }
        }

        return frozen;
    }

    public int CountFor(string visitorId) => _connections.Values.Count(c => c.VisitorId == visitorId);

    /// <summary>Sends a frame to every socket of the visitor in its website (every tab); returns how many got it.</summary>
    public async Task<int> SendToVisitorAsync(string websiteId, string visitorId, string frame, bool remember = true)
    {
        if (remember)
        {
            _lastEvents[visitorId] = frame;
        }

        var sent = 0;
        foreach (var connection in _connections.Values.Where(c => c.VisitorId == visitorId && c.WebsiteId == websiteId))
        {
            if (await connection.TrySendAsync(frame).ConfigureAwait(false))
            {
                sent++;
            }
        }

        return sent;
    }

    public string? LastEventFor(string visitorId) => _lastEvents.TryGetValue(visitorId, out var frame) ? frame : null;

    /// <summary>Aborts every socket without a close handshake, as a dropped network does.</summary>
    public int DropAll()
    {
        var dropped = 0;
        foreach (var connection in _connections.Values)
        {
            connection.Socket.Abort();
            Remove(connection);
            dropped++;
        }

        return dropped;
    }

    internal sealed class Connection(Guid id, WebSocket socket, string websiteId, string? visitorId) : IDisposable
    {
        private readonly SemaphoreSlim _send = new(1, 1);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _frozen;

        /// <summary>Whether the socket is frozen: it neither sends nor reads any more.</summary>
        public bool IsFrozen => Volatile.Read(ref _frozen) != 0;

        /// <summary>Completes when the connection is removed from the hub (dropped, or the emulator stops).</summary>
        public Task Released => _released.Task;

        public bool Freeze() => Interlocked.Exchange(ref _frozen, 1) == 0;

        public Guid Id { get; } = id;

        public WebSocket Socket { get; } = socket;

        public string WebsiteId { get; } = websiteId;

        public string? VisitorId { get; } = visitorId;

        public void Dispose()
        {
            _released.TrySetResult();
            _send.Dispose();
        }

        private void ReleaseQuietly()
        {
            try
            {
                _send.Release();
            }
            catch (ObjectDisposedException)
            {
                // The connection was removed while this send ran.
            }
        }

        public async Task<bool> TrySendAsync(string text)
        {
            try
            {
                await _send.WaitAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }

            try
            {
                if (Socket.State != WebSocketState.Open || IsFrozen)
                {
                    return false;
                }

                await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                return true;
            }
            catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                return false;
            }
            finally
            {
                ReleaseQuietly();
            }
        }
    }
}
