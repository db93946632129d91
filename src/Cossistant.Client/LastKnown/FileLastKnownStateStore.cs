namespace Cossistant.Client;

/// <summary>
/// Keeps each visitor's last-known support state in a file of its own (<c>support-state-{visitorId}.json</c>) in one
/// folder, for desktop, MAUI and console apps. Writes are atomic: the bytes go to a temporary file that then replaces
/// the old one, so a crash never leaves a half-written state. Thread-safe.
/// </summary>
public sealed class FileLastKnownStateStore : ILastKnownStateStore
{
    /// <summary>Creates a store over a folder; it is created on the first write.</summary>
    /// <param name="directory">The folder, e.g. under <see cref="Environment.SpecialFolder.LocalApplicationData"/>.</param>
    public FileLastKnownStateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        DirectoryPath = Path.GetFullPath(directory);
    }

    /// <summary>The full path of the folder.</summary>
    public string DirectoryPath { get; }

    /// <summary>The file that holds a visitor's state.</summary>
    /// <param name="visitorId">The visitor id: letters and digits only (a ULID).</param>
    /// <returns>The full path.</returns>
    /// <exception cref="ArgumentException">The id is empty or has other characters (it could name another path).</exception>
    public string FilePathFor(string visitorId)
    {
        ArgumentException.ThrowIfNullOrEmpty(visitorId);
        foreach (var character in visitorId)
        {
            if (character is not ((>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z')))
            {
                throw new ArgumentException("A visitor id has letters and digits only.", nameof(visitorId));
            }
        }

        return Path.Combine(DirectoryPath, "support-state-" + visitorId + ".json");
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> ReadAsync(string visitorId, CancellationToken cancellationToken)
    {
        var path = FilePathFor(visitorId);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(string visitorId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
    {
        var path = FilePathFor(visitorId);
        Directory.CreateDirectory(DirectoryPath);

        // Each writer uses its own temporary file; the move replaces the old state atomically (the last writer wins).
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await file.WriteAsync(state, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
