namespace Cossistant.Client.Testing.Internal;

/// <summary>One <see cref="CossistantEmulator.WaitForRequestAsync"/>: the first offered request its predicate accepts.</summary>
internal sealed class RequestWaiter(Func<RecordedRequest, bool> match)
{
    private readonly TaskCompletionSource<RecordedRequest> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<RecordedRequest> Task => _done.Task;

    /// <summary>Whether the wait is over (this request matched, or it already was).</summary>
    public bool Offer(RecordedRequest request)
    {
        if (_done.Task.IsCompleted)
        {
            return true;
        }

        try
        {
            return match(request) && _done.TrySetResult(request);
        }
        catch (Exception exception)
        {
            // A throwing predicate fails the wait, never the request being recorded.
            _done.TrySetException(exception);
            return true;
        }
    }

    public void Fail(Exception exception) => _done.TrySetException(exception);
}
