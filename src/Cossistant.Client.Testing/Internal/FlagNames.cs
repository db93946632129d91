using System.Collections.Immutable;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// Flag names as the server treats them (protocol §6): trimmed with JavaScript's whitespace set, empty names and
/// names with a comma dropped, the first of equal names kept, sorted by UTF-16 code units; and the mutation rule and
/// messages of <c>PATCH /support/feature-flags</c> (protocol §5).
/// </summary>
internal static class FlagNames
{
    public const string EmptyName = "Feature flag names must be non-empty strings.";

    public const string CommaName = "Feature flag names cannot contain commas.";

    /// <summary>What a mutation says about one name, or null when the name is fine.</summary>
    public static string? Problem(string name)
    {
        var trimmed = Trim(name);
        return trimmed.Length == 0 ? EmptyName : trimmed.Contains(',', StringComparison.Ordinal) ? CommaName : null;
    }

    public static ImmutableArray<string> Normalize(IEnumerable<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<string>();
        foreach (var name in names)
        {
            var trimmed = Trim(name);
            if (trimmed.Length > 0 && !trimmed.Contains(',', StringComparison.Ordinal) && seen.Add(trimmed))
            {
                kept.Add(trimmed);
            }
        }

        kept.Sort(string.CompareOrdinal);
        return [.. kept];
    }

    /// <summary>A target's own flags after a mutation: add is a union, remove a difference, set a replacement.</summary>
    public static ImmutableArray<string> Apply(ImmutableArray<string> current, FlagOperation operation, IReadOnlyList<string> flags)
    {
        switch (operation)
        {
            case FlagOperation.Add:
                return Normalize(current.Concat(flags));
            case FlagOperation.Remove:
                var removed = Normalize(flags).ToHashSet(StringComparer.Ordinal);
                return Normalize(current.Where(flag => !removed.Contains(flag)));
            default:
                return Normalize(flags);
        }
    }

    /// <summary><c>String.prototype.trim</c>: JavaScript's whitespace and line terminators (U+FEFF yes, U+0085 no).</summary>
    public static string Trim(string name)
    {
        var start = 0;
        var end = name.Length;
        while (start < end && IsJavaScriptWhitespace(name[start]))
        {
            start++;
        }

        while (end > start && IsJavaScriptWhitespace(name[end - 1]))
        {
            end--;
        }

        return name[start..end];
    }

    private static bool IsJavaScriptWhitespace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F'
            or '\u3000' or '\uFEFF' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };
}
