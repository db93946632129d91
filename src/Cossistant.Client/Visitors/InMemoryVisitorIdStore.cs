namespace Cossistant.Client;

/// <summary>Keeps the visitor id in memory for the life of the process (the default store).</summary>
public sealed class InMemoryVisitorIdStore : IVisitorIdStore
{
    private volatile string? _visitorId;

    /// <summary>Creates an empty store, or one that starts with a known id.</summary>
    /// <param name="visitorId">The initial id, or <see langword="null"/>.</param>
    public InMemoryVisitorIdStore(string? visitorId = null)
    {
        _visitorId = visitorId;
    }

    /// <inheritdoc />
    public ValueTask<string?> GetVisitorIdAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<string?>(_visitorId);
    }

    /// <inheritdoc />
    public ValueTask SetVisitorIdAsync(string visitorId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(visitorId);
        cancellationToken.ThrowIfCancellationRequested();
        _visitorId = visitorId;
        return ValueTask.CompletedTask;
    }
}
