using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Cossistant.Client.Protocol;
using Microsoft.Extensions.Logging;

namespace Cossistant.Client.LastKnown;

/// <summary>
/// A runtime's side of the <see cref="ILastKnownStateStore"/>: it reads a visitor's saved state (checking that the
/// bytes name this visitor and this API), and saves every newer server state in the background, newest only, one
/// write at a time. Disposal waits for the writes still queued, so the last state learned is not lost.
/// </summary>
internal sealed class LastKnownStates : IAsyncDisposable
{
    private const int Format = 1;
    private readonly ILastKnownStateStore _store;
    private readonly string _apiUrl;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SupportState> _pending = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private Task _writer = Task.CompletedTask;
    private bool _writing;

    public LastKnownStates(ILastKnownStateStore store, Uri apiUrl, TimeProvider time, ILogger logger)
    {
        _store = store;
        _apiUrl = apiUrl.AbsoluteUri;
        _time = time;
        _logger = logger;
    }

    /// <summary>The visitor's saved state, or <see langword="null"/> (nothing saved, unreadable, or not this visitor's).</summary>
    public async Task<SupportState?> ReadAsync(string visitorId, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            bytes = await _store.ReadAsync(visitorId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.LastKnownReadFailed(_logger, exception);
            return null;
        }

        return bytes is null ? null : Decode(bytes, visitorId);
    }

    /// <summary>Queues a visitor's newer server state for saving (only the newest queued one is written).</summary>
    public void Save(string visitorId, SupportState state)
    {
        _pending[visitorId] = state;
        lock (_gate)
        {
            if (!_writing)
            {
                _writing = true;
                _writer = Task.Run(WriteQueuedAsync);
            }
        }
    }

    /// <summary>Waits for the queued writes.</summary>
    public async ValueTask DisposeAsync()
    {
        Task writer;
        lock (_gate)
        {
            writer = _writer;
        }

        await writer.ConfigureAwait(false);
    }

    internal byte[] Encode(string visitorId, SupportState state)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", Format);
            writer.WriteString("visitorId", visitorId);
            writer.WriteString("apiUrl", _apiUrl);
            writer.WriteString("savedAt", _time.GetUtcNow());
            writer.WritePropertyName("state");
            JsonSerializer.Serialize(writer, state, CossistantJsonContext.Default.SupportState);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    internal SupportState? Decode(byte[] bytes, string visitorId)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Number || format.GetInt32() != Format)
            {
                return Ignore("an unknown format");
            }

            if (!root.TryGetProperty("visitorId", out var savedVisitor) || savedVisitor.GetString() != visitorId)
            {
                return Ignore("it belongs to another visitor");
            }

            if (!root.TryGetProperty("apiUrl", out var savedApi) || savedApi.GetString() != _apiUrl)
            {
                return Ignore("it came from another API URL");
            }

            return root.TryGetProperty("state", out var state)
                ? state.Deserialize(CossistantJsonContext.Default.SupportState) ?? Ignore("no state")
                : Ignore("no state");
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            return Ignore("it is not a saved support state");
        }
    }

    private SupportState? Ignore(string reason)
    {
        Log.LastKnownIgnored(_logger, reason);
        return null;
    }

    private async Task WriteQueuedAsync()
    {
        while (true)
        {
            foreach (var visitorId in _pending.Keys)
            {
                if (_pending.TryRemove(visitorId, out var state))
                {
                    try
                    {
                        await _store.WriteAsync(visitorId, Encode(visitorId, state), CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception exception)
                    {
                        Log.LastKnownWriteFailed(_logger, exception);
                    }
                }
            }

            lock (_gate)
            {
                if (_pending.IsEmpty)
                {
                    _writing = false;
                    return;
                }
            }
        }
    }
}
