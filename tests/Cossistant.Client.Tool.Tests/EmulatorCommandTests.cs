using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Cossistant.Client.Tool.Tests.Infrastructure;

namespace Cossistant.Client.Tool.Tests;

/// <summary><c>cossistant emulator</c> as a process: its printed settings work, it stops cleanly on signals, a taken port fails clearly.</summary>
public sealed class EmulatorCommandTests
{
    [Fact]
    public async Task Emulator_Json_PrintsWorkingSettings_AndStopsWithZeroOnSigterm()
    {
        await using var emulator = RunningTool.Start("emulator", "--json");
        using var settings = JsonDocument.Parse((await emulator.ReadLineAsync())!);
        var root = settings.RootElement;
        var apiUrl = new Uri(root.GetProperty("apiUrl").GetString()!);
        var privateKey = root.GetProperty("privateApiKey").GetString()!;
        Assert.StartsWith("ws://127.0.0.1:", root.GetProperty("realtimeUrl").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("pk_test_", root.GetProperty("publicKey").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("sk_test_", privateKey, StringComparison.Ordinal);
        Assert.Equal("http://localhost:3000", root.GetProperty("origin").GetString());
        Assert.Equal(root.GetProperty("websiteId").GetString(), root.GetProperty("websites")[0].GetProperty("id").GetString());

        // A visitor-facing client with the printed public key and Origin, then the admin commands with the private key.
        string visitor;
        await using (var client = new CossistantClient(new CossistantClientOptions
        {
            ApiUrl = apiUrl,
            PublicKey = root.GetProperty("publicKey").GetString(),
            Origin = root.GetProperty("origin").GetString(),
        }))
        {
            var website = await client.FetchWebsiteAsync(TestContext.Current.CancellationToken);
            Assert.Equal(root.GetProperty("websiteId").GetString(), website.Id);
            visitor = client.VisitorId!;
        }

        var set = await CossistantTool.RunAsync(CossistantTool.Env(apiUrl, privateKey), "flags", "set", "--visitor", visitor, "new-message");
        Assert.True(set.ExitCode == 0, set.ToString());
        var state = await CossistantTool.RunAsync(CossistantTool.Env(apiUrl, privateKey), "state", "--visitor", visitor, "--json");
        using (var json = JsonDocument.Parse(state.Stdout))
        {
            Assert.Equal(["new-message"], json.RootElement.GetProperty("featureFlags").EnumerateArray().Select(flag => flag.GetString()));
        }

        await emulator.SignalAsync("TERM");
        var exit = await emulator.WaitForExitAsync();
        Assert.True(exit.ExitCode == 0, exit.ToString());
        Assert.Empty(exit.Stderr);
        Assert.Empty(exit.Stdout); // with --json, the settings line is all it writes
    }

    [Fact]
    public async Task Emulator_Text_PrintsEnvironmentLines_AndStopsWithZeroOnSigint()
    {
        if (Ignored(signal: 2))
        {
            Assert.Skip("SIGINT is ignored by this test process (started in the background), so its children inherit that.");
        }

        await using var emulator = RunningTool.Start("emulator");
        var lines = await emulator.ReadUntilAsync(line => line.StartsWith("These keys", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Trim().StartsWith("COSSISTANT_API_URL=http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Trim().StartsWith("COSSISTANT_WS_URL=ws://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Trim().StartsWith("COSSISTANT_PUBLIC_KEY=pk_test_", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Trim().StartsWith("COSSISTANT_PRIVATE_API_KEY=sk_test_", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Trim() == "COSSISTANT_ORIGIN=http://localhost:3000");

        await emulator.SignalAsync("INT");
        var exit = await emulator.WaitForExitAsync();
        Assert.True(exit.ExitCode == 0, exit.ToString());
        Assert.Equal("Cossistant emulator stopped.", exit.Stdout.Trim());
    }

    [Fact]
    public async Task Emulator_PortInUse_ExitsOneWithOneErrorLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var result = await CossistantTool.RunAsync("emulator", "--port", port);

        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.StderrLines);
        Assert.Equal($"cossistant: Port {port} is already in use on 127.0.0.1; pass --port N (another port, or 0 for a free one) or stop the other process.", error);
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("--port", "70000")]
    [InlineData("--port", "x")]
    [InlineData("--seed", "/nonexistent/seed.json")]
    public async Task Emulator_BadArguments_ExitTwo(string option, string value)
    {
        var result = await CossistantTool.RunAsync("emulator", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.StderrLines);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Emulator_Sigquit_StopsWithZero()
    {
        if (Ignored(signal: 3))
        {
            Assert.Skip("SIGQUIT is ignored by this test process (started in the background), so its children inherit that.");
        }

        await using var emulator = RunningTool.Start("emulator", "--json");
        Assert.NotNull(await emulator.ReadLineAsync());

        await emulator.SignalAsync("QUIT");
        var exit = await emulator.WaitForExitAsync();
        Assert.True(exit.ExitCode == 0, exit.ToString());
    }

    /// <summary>Whether this process ignores a signal (its bit in SigIgn of /proc/self/status), which its children inherit.</summary>
    private static bool Ignored(int signal)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (signal - 1))) != 0;
    }
}
