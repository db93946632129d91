namespace Cossistant.Client.State;

/// <summary>
/// The whitespace set of ECMAScript's <c>String.prototype.trim</c>: WhiteSpace (TAB, VT, FF, SP, NBSP,
/// ZWNBSP U+FEFF and every Unicode <c>Zs</c> character) plus LineTerminator (LF, CR, LS, PS).
/// It differs from <see cref="string.Trim()"/>: U+FEFF is trimmed, U+0085 and U+180E are not.
/// </summary>
internal static class JavaScriptWhitespace
{
    public static bool IsWhitespace(char c) => c switch
    {
        '\u0009' or '\u000A' or '\u000B' or '\u000C' or '\u000D' or '\u0020' => true,
        '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };

    /// <summary>Trims like JavaScript; returns the same instance when nothing is trimmed.</summary>
    public static string Trim(string value)
    {
        var start = 0;
        var end = value.Length - 1;
        while (start <= end && IsWhitespace(value[start]))
        {
            start++;
        }

        while (end >= start && IsWhitespace(value[end]))
        {
            end--;
        }

        var length = end - start + 1;
        return length == value.Length ? value : value.Substring(start, length);
    }

    /// <summary>True when <paramref name="value"/> is empty after a JavaScript trim.</summary>
    public static bool IsEmptyAfterTrim(string value)
    {
        foreach (var c in value)
        {
            if (!IsWhitespace(c))
            {
                return false;
            }
        }

        return true;
    }
}
