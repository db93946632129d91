using System.Text.Json;
using Cossistant.Client.Tool.Tests.Infrastructure;

namespace Cossistant.Client.Tool.Tests;

/// <summary><c>cossistant emulator --seed FILE</c>: the README's format creates what it says; a bad file is bad input.</summary>
public sealed class SeedFileTests : IDisposable
{
    private const string AnaLaptop = "01JAAAAAAAAAAAAAAAAAAAAAAA";
    private const string Anonymous = "01JBBBBBBBBBBBBBBBBBBBBBBB";
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"cossistant-seed-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task Emulator_SampleSeed_CreatesFlagsOnboardingAndWebsites()
    {
        File.Copy(Path.Combine(RepositoryRoot(), "samples", "Emulator", "seed.json"), _file);
        await using var emulator = RunningTool.Start("emulator", "--seed", _file, "--json");
        using var settings = JsonDocument.Parse((await emulator.ReadLineAsync())!);
        var root = settings.RootElement;
        var env = CossistantTool.Env(new Uri(root.GetProperty("apiUrl").GetString()!), root.GetProperty("privateApiKey").GetString());
        var site = root.GetProperty("websites")[0];
        Assert.Equal(AnaLaptop, site.GetProperty("visitors").GetProperty("ana-laptop").GetString());
        Assert.Equal(26, site.GetProperty("contacts").GetProperty("ana").GetString()!.Length);
        Assert.Equal(26, site.GetProperty("organizations").GetProperty("acme-corp").GetString()!.Length);
        var beta = root.GetProperty("websites")[1];
        Assert.Equal("Beta site", beta.GetProperty("name").GetString());
        Assert.NotEqual(root.GetProperty("privateApiKey").GetString(), beta.GetProperty("privateApiKey").GetString());

        // Identified: the organization's and the contact's flags, the contact's onboarding.
        var ana = await StateAsync(env, AnaLaptop);
        Assert.Equal(["billing-v2", "new-message"], ana.GetProperty("featureFlags").EnumerateArray().Select(flag => flag.GetString()));
        var workspace = ana.GetProperty("onboarding").GetProperty("steps").GetProperty("workspace");
        Assert.True(workspace.GetProperty("completed").GetBoolean());
        Assert.Equal("Acme", workspace.GetProperty("metadata").GetProperty("workspaceName").GetString());

        // Anonymous: its own flags and onboarding.
        var anonymous = await StateAsync(env, Anonymous);
        Assert.Equal(["beta"], anonymous.GetProperty("featureFlags").EnumerateArray().Select(flag => flag.GetString()));
        Assert.False(anonymous.GetProperty("onboarding").GetProperty("steps").GetProperty("workspace").GetProperty("completed").GetBoolean());

        await emulator.SignalAsync("TERM");
        Assert.Equal(0, (await emulator.WaitForExitAsync()).ExitCode);
    }

    [Theory]
    [InlineData("""{ "contacts": [ { "ref": "ana", "organization": "nope" } ] }""", "no organization with ref \"nope\"")]
    [InlineData("""{ "visitors": [ { "ref": "v", "featureFlags": ["a,b"] } ] }""", "flag name \"a,b\"")]
    [InlineData("""{ "visitors": [ { "id": "not-a-ulid" } ] }""", "ULID")]
    [InlineData("""{ "visitors": [ { "ref": "v", "onboarding": { "steps": { "s": { "metadata": [1] } } } } ] }""", "metadata")]
    [InlineData("""{ "visitor": [] }""", "visitor")]
    [InlineData("""{ "contacts": [ { "email": "a@b.example" } ] }""", "ref")]
    [InlineData("not json", "seed file")]
    public async Task Emulator_BadSeed_ExitsTwoWithOneErrorLine(string seed, string expected)
    {
        await File.WriteAllTextAsync(_file, seed, TestContext.Current.CancellationToken);

        var result = await CossistantTool.RunAsync("emulator", "--seed", _file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    private static async Task<JsonElement> StateAsync(Dictionary<string, string?> env, string visitor)
    {
        var result = await CossistantTool.RunAsync(env, "state", "--visitor", visitor, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cossistant.Client.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cossistant.Client.sln not found above the test assembly.");
    }
}
