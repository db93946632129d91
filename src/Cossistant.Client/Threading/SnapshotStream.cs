using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Cossistant.Client.Threading;

/// <summary>An observable of snapshots as an async stream that always yields the newest one.</summary>
internal static class SnapshotStream
{
    /// <summary>
    /// Streams the current value first, then the latest after each change: a slow reader skips intermediate values.
    /// Ends when the observable completes or the token cancels.
    /// </summary>
    public static async IAsyncEnumerable<T> WatchAsync<T>(IObservable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<T>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        using var subscription = source.Subscribe(new ChannelObserver<T>(channel.Writer));
        await foreach (var value in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return value;
        }
    }

    private sealed class ChannelObserver<T>(ChannelWriter<T> writer) : IObserver<T>
    {
        public void OnCompleted() => writer.TryComplete();

        public void OnError(Exception error) => writer.TryComplete(error);

        public void OnNext(T value) => writer.TryWrite(value);
    }
}
