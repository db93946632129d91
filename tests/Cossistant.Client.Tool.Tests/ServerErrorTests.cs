using System.Text.Json;
using Cossistant.Client.Tool.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Cossistant.Client.Tool.Tests;

/// <summary>The API's error answers (from WireMock) become exit codes and one error line, never showing the key.</summary>
public sealed class ServerErrorTests : IDisposable
{
    private const string Visitor = "01JAAAAAAAAAAAAAAAAAAAAAAA";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly string _key = Keys.NewPrivateKey();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData(401, "Invalid API key", 3, "authentication")]
    [InlineData(403, "Domain evil.test is not whitelisted for this API key", 3, "authentication")]
    [InlineData(404, """{"error":"NOT_FOUND","message":"Target not found"}""", 4, "not-found")]
    [InlineData(400, """{"success":false,"error":{"name":"ZodError","message":"[]"}}""", 2, "bad-input")]
    [InlineData(409, """{"error":"CONFLICT","message":"no"}""", 1, "error")]
    public async Task FlagsSet_ErrorAnswer_MapsToExitCode(int status, string body, int exitCode, string kind)
    {
        Answer("/v1/support/feature-flags", status, body);

        var result = await RunAsync("flags", "set", "--visitor", Visitor, "beta", "--json");

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Empty(result.Stdout);
        using var error = JsonDocument.Parse(Assert.Single(result.StderrLines));
        var details = error.RootElement.GetProperty("error");
        Assert.Equal(kind, details.GetProperty("kind").GetString());
        Assert.Equal(exitCode, details.GetProperty("exitCode").GetInt32());
        Assert.Equal(status, details.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(details.GetProperty("message").GetString()));
        Assert.Single(_server.LogEntries); // 4xx answers are not retried
    }

    [Fact]
    public async Task State_500_IsRetriedThenExitsOne()
    {
        Answer("/v1/support/state", 500, "boom");

        var result = await RunAsync("state", "--visitor", Visitor);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("500", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Equal(4, _server.LogEntries.Count); // the SDK's 3 retries
    }

    [Fact]
    public async Task State_ErrorBodyEchoingTheKey_NeverPrintsIt()
    {
        Answer("/v1/support/state", 401, $"Invalid API key {_key}");

        var result = await RunAsync("state", "--visitor", Visitor);

        Assert.Equal(3, result.ExitCode);
        Assert.Single(result.StderrLines);
    }

    [Fact]
    public async Task FlagsAdd_SendsTheSdksRequestWithTheKeyFromTheEnvironment()
    {
        Answer("/v1/support/feature-flags", 200, $$"""{"target":{"type":"visitor","id":"{{Visitor}}"},"flags":["beta"]}""");

        var result = await RunAsync("flags", "add", "--visitor", Visitor, "beta", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(_server.LogEntries).RequestMessage!;
        Assert.Equal("PATCH", request.Method);
        Assert.Equal($"Bearer {_key}", request.Headers!["Authorization"].Single());
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal("add", body.RootElement.GetProperty("operation").GetString());
        Assert.Equal(["beta"], body.RootElement.GetProperty("flags").EnumerateArray().Select(flag => flag.GetString()));
    }

    [Fact]
    public async Task State_NetworkFailure_ExitsOne()
    {
        var url = new Uri(_server.Url! + "/v1");
        _server.Stop();

        var result = await CossistantTool.RunAsync(CossistantTool.Env(url, _key), "state", "--visitor", Visitor);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.StderrLines);
        Assert.DoesNotContain(_key, result.AllOutput, StringComparison.Ordinal);
    }

    private void Answer(string path, int status, string body) =>
        _server.Given(Request.Create().WithPath(path)).RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

    private async Task<ToolResult> RunAsync(params string[] args)
    {
        var result = await CossistantTool.RunAsync(CossistantTool.Env(new Uri(_server.Url! + "/v1"), _key), args);
        Assert.DoesNotContain(_key, result.AllOutput, StringComparison.Ordinal);
        return result;
    }
}
