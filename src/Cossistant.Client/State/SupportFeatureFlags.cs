using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Cossistant.Client.State;

namespace Cossistant.Client;

/// <summary>
/// Flag-name rules shared by the Cossistant server and its clients: normalization, the stored
/// comma-separated form, and the add/remove/set mutation rule.
/// </summary>
/// <remarks>
/// Normalization trims each name with the JavaScript whitespace set (it trims U+FEFF and keeps U+0085,
/// unlike <see cref="string.Trim()"/>), drops empty names and names containing a comma, removes
/// duplicates keeping the first, and sorts with ordinal UTF-16 order. Flag matching is case-sensitive.
/// </remarks>
public static class SupportFeatureFlags
{
    /// <summary>The message the server gives for an empty or whitespace-only flag in a mutation.</summary>
    public const string EmptyNameMessage = "Feature flag names must be non-empty strings.";

    /// <summary>The message the server gives for a flag containing a comma in a mutation.</summary>
    public const string CommaMessage = "Feature flag names cannot contain commas.";

    /// <summary>Normalizes a list of flag names: trim, drop invalid, de-duplicate, sort ordinally.</summary>
    /// <param name="flags">The names; <see langword="null"/> entries are dropped.</param>
    /// <returns>The normalized, sorted names.</returns>
    public static ImmutableArray<string> Normalize(IEnumerable<string?> flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var set = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var flag in flags)
        {
            if (flag is null)
            {
                continue;
            }

            var trimmed = JavaScriptWhitespace.Trim(flag);
            if (trimmed.Length == 0 || trimmed.Contains(',', StringComparison.Ordinal) || !set.Add(trimmed))
            {
                continue;
            }

            result.Add(trimmed);
        }

        result.Sort(StringComparer.Ordinal);
        return [.. result];
    }

    /// <summary>Parses the stored comma-separated form (a database column) into normalized names.</summary>
    /// <param name="stored">The stored value; <see langword="null"/> means no flags.</param>
    /// <returns>The normalized, sorted names.</returns>
    public static ImmutableArray<string> ParseStored(string? stored) =>
        stored is null ? [] : Normalize(stored.Split(','));

    /// <summary>Serializes names to the stored comma-separated form.</summary>
    /// <param name="flags">The names; they are normalized first.</param>
    /// <returns>The comma-joined normalized names, or <see langword="null"/> when there are none.</returns>
    public static string? SerializeStored(IEnumerable<string?> flags)
    {
        var normalized = Normalize(flags);
        return normalized.IsEmpty ? null : string.Join(',', normalized);
    }

    /// <summary>Applies a mutation to a target's own flag list, as the server does.</summary>
    /// <param name="current">The target's current flags.</param>
    /// <param name="operation">Add (union), remove (difference) or set (replace).</param>
    /// <param name="flags">The flags of the mutation.</param>
    /// <returns>The target's new normalized, sorted flags.</returns>
    public static ImmutableArray<string> ApplyMutation(
        IEnumerable<string?> current, FeatureFlagOperation operation, IEnumerable<string?> flags)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(flags);
        return operation switch
        {
            FeatureFlagOperation.Add => Normalize(current.Concat(flags)),
            FeatureFlagOperation.Remove => RemoveAll(current, flags),
            FeatureFlagOperation.Set => Normalize(flags),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown feature flag operation."),
        };
    }

    /// <summary>
    /// Checks the flags of a mutation as the server does: each must have non-whitespace content and no comma.
    /// </summary>
    /// <param name="flags">The flags to check.</param>
    /// <param name="error">The server's message for the first invalid flag.</param>
    /// <returns><see langword="true"/> when every flag is valid.</returns>
    public static bool TryValidateMutationFlags(IEnumerable<string?> flags, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(flags);
        foreach (var flag in flags)
        {
            if (flag is null || JavaScriptWhitespace.IsEmptyAfterTrim(flag))
            {
                error = EmptyNameMessage;
                return false;
            }

            if (flag!.Contains(',', StringComparison.Ordinal))
            {
                error = CommaMessage;
                return false;
            }
        }

        error = null;
        return true;
    }

    private static ImmutableArray<string> RemoveAll(IEnumerable<string?> current, IEnumerable<string?> flags)
    {
        var removed = new HashSet<string>(Normalize(flags), StringComparer.Ordinal);
        return [.. Normalize(current).Where(flag => !removed.Contains(flag))];
    }
}
