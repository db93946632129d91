namespace Cossistant.Client.Http;

/// <summary>
/// The shape of Cossistant keys: <c>pk_</c> or <c>pk_test_</c> + 64 lowercase hex for public keys, <c>sk_</c> or
/// <c>sk_test_</c> + 64 hex for private keys. One rule for the client's validation and the emulator's checks.
/// </summary>
internal static class ApiKeyFormat
{
    private const int HexLength = 64;

    public static bool IsPublicKey(string key) => Matches(key, "pk_", upperHexAllowed: false);

    public static bool IsPrivateKey(string key) => Matches(key, "sk_", upperHexAllowed: true);

    private static bool Matches(string key, string prefix, bool upperHexAllowed)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var at = prefix.Length;
        if (key.Length - at != HexLength)
        {
            at += "test_".Length;
            if (key.Length - at != HexLength || string.CompareOrdinal(key, prefix.Length, "test_", 0, 5) != 0)
            {
                return false;
            }
        }

        for (; at < key.Length; at++)
        {
            var c = key[at];
            var hex = c is >= '0' and <= '9' or >= 'a' and <= 'f' || (upperHexAllowed && c is >= 'A' and <= 'F');
            if (!hex)
            {
                return false;
            }
        }

        return true;
    }
}
