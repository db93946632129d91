using System.Reflection;
using System.Runtime.Versioning;

namespace Cossistant.Client.Builds;

/// <summary>
/// This suite runs once per build of the client (net10.0, net8.0, netstandard2.0). Each run first proves it loaded the
/// build it was compiled for, so a reference that silently resolves to another build cannot pass for it.
/// </summary>
public sealed class ClientBuildTests
{
    [Fact]
    public void TheLoadedClientIsTheBuildThisRunIsFor()
    {
        var expected = typeof(ClientBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "ExpectedClientTarget").Value;
        var loaded = typeof(CossistantClient).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

        Assert.Equal(FrameworkName(expected!), loaded);
    }

    private static string FrameworkName(string targetFramework) => targetFramework switch
    {
        "netstandard2.0" => ".NETStandard,Version=v2.0",
        _ when targetFramework.StartsWith("net", StringComparison.Ordinal) => string.Concat(".NETCoreApp,Version=v", targetFramework.AsSpan(3)),
        _ => throw new ArgumentException("Unknown target " + targetFramework, nameof(targetFramework)),
    };
}
