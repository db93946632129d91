using System.Text.RegularExpressions;

namespace Cossistant.Client.Http;

/// <summary>
/// The shape of Cossistant keys: <c>pk_</c> or <c>pk_test_</c> + 64 lowercase hex for public keys, <c>sk_</c> or
/// <c>sk_test_</c> + 64 hex for private keys. One rule for the client's validation and the emulator's checks.
/// </summary>
internal static partial class ApiKeyFormat
{
    public static bool IsPublicKey(string key) => PublicKey().IsMatch(key);

    public static bool IsPrivateKey(string key) => PrivateKey().IsMatch(key);

    // \A and \z, not ^ and $: "$" also matches before a trailing newline.
    [GeneratedRegex(@"\Apk_(test_)?[0-9a-f]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PublicKey();

    [GeneratedRegex(@"\Ask_(test_)?[0-9a-fA-F]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();
}
