namespace Cossistant.Client.Blazor.Tests.Infrastructure;

/// <summary>One request held before it reaches the server: the test learns when it arrived and says when it may go.</summary>
internal sealed class RequestHold(HttpMethod method, string path)
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the request is being held.</summary>
    public Task Arrived => _arrived.Task;

    /// <summary>Lets the request go on to the server.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>Waits (bounded) until the request is being held.</summary>
    public Task WaitUntilArrivedAsync() =>
        Arrived.WaitAsync(BlazorTestHost.WaitTimeout, TestContext.Current.CancellationToken);

    internal bool Matches(HttpRequestMessage request) =>
        request.Method == method && request.RequestUri!.AbsolutePath.EndsWith(path, StringComparison.Ordinal);

    internal async Task HoldAsync(CancellationToken cancellationToken)
    {
        _arrived.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
    }
}
