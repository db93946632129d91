using Cossistant.Client.Testing;

namespace Cossistant.Client.Tool.Tests.Infrastructure;

/// <summary>An in-process emulator per test, and the tool's environment for its default website's private key.</summary>
public abstract class EmulatorTestBase : IAsyncLifetime
{
    protected CossistantEmulator Emulator { get; private set; } = null!;

    protected string PrivateKey => Emulator.DefaultWebsite.PrivateApiKey;

    protected Dictionary<string, string?> Env => CossistantTool.Env(Emulator.ApiUrl, PrivateKey);

    public async ValueTask InitializeAsync() => Emulator = await CossistantEmulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs the tool against the emulator and checks that nothing it wrote carries the private key.</summary>
    protected async Task<ToolResult> RunAsync(params string[] args)
    {
        var result = await CossistantTool.RunAsync(Env, args);
        Assert.DoesNotContain(PrivateKey, result.AllOutput, StringComparison.Ordinal);
        return result;
    }

    /// <summary>The requests the emulator received to the REST API (none means the tool stopped before any request).</summary>
    protected IReadOnlyList<RecordedRequest> ApiRequests => [.. Emulator.Requests.Where(request => request.Path.StartsWith("/v1", StringComparison.Ordinal))];
}
