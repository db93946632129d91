using System.Text;

namespace Cossistant.Client;

/// <summary>
/// Persists the visitor id in a small text file (for desktop, MAUI and console apps). Writes are atomic: the
/// id goes to a temporary file that then replaces the old one, so a crash never leaves a half-written id.
/// Thread-safe.
/// </summary>
public sealed class FileVisitorIdStore : IVisitorIdStore
{
    /// <summary>Creates a store over a file; its folder is created on the first write.</summary>
    /// <param name="path">The file path, e.g. under <see cref="Environment.SpecialFolder.LocalApplicationData"/>.</param>
    public FileVisitorIdStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
    }

    /// <summary>The full path of the file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public async ValueTask<string?> GetVisitorIdAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        var text = (await File.ReadAllTextAsync(FilePath, Encoding.UTF8, cancellationToken).ConfigureAwait(false)).Trim();
        return text.Length == 0 ? null : text;
    }

    /// <inheritdoc />
    public async ValueTask SetVisitorIdAsync(string visitorId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(visitorId);
        var directory = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Each writer uses its own temporary file; the move replaces the old id atomically (the last writer wins).
        var temporary = FilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await File.WriteAllTextAsync(temporary, visitorId, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, FilePath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
