namespace Cossistant.Client.Testing.Internal;

/// <summary>The shape of a public key the server accepts: <c>pk_</c> or <c>pk_test_</c> and 64 lower-case hex digits.</summary>
internal static class KeyFormat
{
    public static bool IsPublicKey(string key)
    {
        var hex = key.StartsWith("pk_test_", StringComparison.Ordinal) ? key.AsSpan(8)
            : key.StartsWith("pk_", StringComparison.Ordinal) ? key.AsSpan(3)
            : default;
        if (hex.Length != 64)
        {
            return false;
        }

        foreach (var c in hex)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
