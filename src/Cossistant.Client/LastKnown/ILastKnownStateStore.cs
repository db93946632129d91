namespace Cossistant.Client;

/// <summary>
/// Keeps each visitor's last support state from the server between runs, so an app shows the visitor's flags and
/// onboarding at start, before the server answers (<see cref="SupportStateStatus.Cached"/>), and while it cannot be
/// reached. Set it as <see cref="CossistantClientOptions.LastKnownStateStore"/>; <see cref="FileLastKnownStateStore"/>
/// keeps one file per visitor for desktop apps. The client writes and reads opaque bytes that name their visitor and
/// API, and checks them on read: a store that returns another visitor's bytes is ignored, never shown. Implementations
/// must be thread-safe. A store that throws never fails the client: a failed read counts as nothing saved and a failed
/// write is skipped, each logged as a warning.
/// </summary>
public interface ILastKnownStateStore
{
    /// <summary>Reads what was saved for a visitor.</summary>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The saved bytes, or <see langword="null"/> when nothing is saved for the visitor.</returns>
    ValueTask<byte[]?> ReadAsync(string visitorId, CancellationToken cancellationToken);

    /// <summary>Saves a visitor's bytes, replacing what was saved before.</summary>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="state">The bytes to keep (a small JSON document).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the bytes are saved.</returns>
    ValueTask WriteAsync(string visitorId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken);
}
