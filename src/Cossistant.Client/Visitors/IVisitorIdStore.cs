namespace Cossistant.Client;

/// <summary>
/// Keeps the visitor id between runs, so a returning user stays the same visitor (with the same flags and
/// onboarding progress). <see cref="InMemoryVisitorIdStore"/> is the default; <see cref="FileVisitorIdStore"/>
/// persists to a file. Implementations must be thread-safe. A store that throws (blocked browser storage, a locked
/// file) never fails the client: a failed read counts as no stored id and a failed write is skipped, each logged as a
/// warning.
/// </summary>
public interface IVisitorIdStore
{
    /// <summary>Reads the stored visitor id.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The id, or <see langword="null"/> when none is stored.</returns>
    ValueTask<string?> GetVisitorIdAsync(CancellationToken cancellationToken);

    /// <summary>Stores the visitor id, replacing any earlier one.</summary>
    /// <param name="visitorId">The id (a ULID).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the id is stored.</returns>
    ValueTask SetVisitorIdAsync(string visitorId, CancellationToken cancellationToken);
}
