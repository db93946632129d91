using Cossistant.Client.Tool.Tests.Infrastructure;

namespace Cossistant.Client.Tool.Tests;

/// <summary>The key and API come from the environment only; bad settings are bad input, found before any request.</summary>
public sealed class EnvironmentTests : EmulatorTestBase
{
    private const string Visitor = "01JAAAAAAAAAAAAAAAAAAAAAAA";

    [Fact]
    public async Task State_NoKeyVariable_ExitsTwoNamingIt()
    {
        var result = await CossistantTool.RunAsync(CossistantTool.Env(Emulator.ApiUrl, privateKey: null), "state", "--visitor", Visitor);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("COSSISTANT_PRIVATE_API_KEY", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Empty(ApiRequests);
    }

    [Theory]
    [InlineData("pk_test_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sk_live_not-a-key-at-all")]
    public async Task State_MalformedKey_ExitsTwoWithoutPrintingIt(string key)
    {
        var result = await CossistantTool.RunAsync(CossistantTool.Env(Emulator.ApiUrl, key), "state", "--visitor", Visitor);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("PrivateApiKey", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.AllOutput, StringComparison.Ordinal);
        Assert.Empty(ApiRequests);
    }

    [Fact]
    public async Task State_UnknownKey_ExitsThreeWithoutPrintingIt()
    {
        var key = Keys.NewPrivateKey();
        var visitor = Emulator.CreateVisitor();

        var result = await CossistantTool.RunAsync(CossistantTool.Env(Emulator.ApiUrl, key), "state", "--visitor", visitor);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("401", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.AllOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/v1")]
    public async Task State_BadApiUrl_ExitsTwo(string url)
    {
        var environment = Env;
        environment["COSSISTANT_API_URL"] = url;

        var result = await CossistantTool.RunAsync(environment, "state", "--visitor", Visitor);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StderrLines);
        Assert.DoesNotContain(PrivateKey, result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_WithTheEmulatorsKey_ReadsThroughTheEnvironment()
    {
        var visitor = Emulator.CreateVisitor();

        var result = await RunAsync("state", "--visitor", visitor);

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(ApiRequests);
        Assert.Equal($"Bearer {PrivateKey}", request.Header("authorization"));
        Assert.Equal(visitor, request.Header("x-visitor-id"));
    }
}
