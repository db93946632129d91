using System.Security.Cryptography;

namespace Cossistant.Client.Tool.Tests.Infrastructure;

/// <summary>Keys of the right shape that no server knows.</summary>
public static class Keys
{
    public static string NewPrivateKey() => "sk_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
