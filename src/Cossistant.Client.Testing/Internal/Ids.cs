using System.Security.Cryptography;

namespace Cossistant.Client.Testing.Internal;

/// <summary>Ids shaped like the real API's: ULIDs for records, pk_test_/sk_test_ + 64 hex for keys.</summary>
internal static class Ids
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewUlid(DateTimeOffset now)
    {
        Span<char> text = stackalloc char[26];
        var time = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 9; i >= 0; i--)
        {
            text[i] = Crockford[(int)(time & 31)];
            time >>= 5;
        }

        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        for (var i = 10; i < 26; i++)
        {
            text[i] = Crockford[random[i - 10] & 31];
        }

        return new string(text);
    }

    /// <summary>Whether an id is a ULID: 26 upper-case Crockford base32 characters, the first at most 7 (128 bits).</summary>
    public static bool IsUlid(string? id)
    {
        if (id is not { Length: 26 } || id[0] > '7')
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!Crockford.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public static string NewPublicKey() => "pk_test_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    public static string NewPrivateKey() => "sk_test_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
}
