using Cossistant.Client.Http;

namespace Cossistant.Client.Tests.Http;

public sealed class ApiKeyFormatTests
{
    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("pk_" + Hex64, true)]
    [InlineData("pk_test_" + Hex64, true)]
    [InlineData("pk_test_" + Hex64 + "\n", false)]
    [InlineData("pk_live_" + Hex64, false)]
    [InlineData("pk_test_" + Hex64 + "0", false)]
    [InlineData("pk_test_0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("pk_test_123", false)]
    [InlineData("pk_", false)]
    [InlineData("sk_test_" + Hex64, false)]
    [InlineData("", false)]
    public void IsPublicKey(string key, bool expected) => Assert.Equal(expected, ApiKeyFormat.IsPublicKey(key));

    [Theory]
    [InlineData("sk_" + Hex64, true)]
    [InlineData("sk_test_" + Hex64, true)]
    [InlineData("sk_test_0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("sk_test_" + Hex64 + " ", false)]
    [InlineData("sk_tost_" + Hex64, false)]
    [InlineData("sk_test_0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("pk_test_" + Hex64, false)]
    public void IsPrivateKey(string key, bool expected) => Assert.Equal(expected, ApiKeyFormat.IsPrivateKey(key));
}
