using System.Text.Json;
using Cossistant.Client.Tool.Tests.Infrastructure;

namespace Cossistant.Client.Tool.Tests;

/// <summary><c>cossistant flags add|remove|set</c> against the emulator: the target's own flags change, the answer is printed.</summary>
public sealed class FlagsCommandTests : EmulatorTestBase
{
    [Fact]
    public async Task FlagsAdd_Visitor_AddsAndPrintsOwnFlags()
    {
        var visitor = Emulator.CreateVisitor();

        var result = await RunAsync("flags", "add", "--visitor", visitor, "new-message", "beta");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["beta", "new-message"], Emulator.GetOwnFeatureFlags(FeatureFlagTarget.Visitor(visitor)));
        Assert.Contains($"Added new-message, beta to visitor {visitor}.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Its own flags now: beta, new-message", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task FlagsRemove_ContactJson_PrintsTargetOperationAndFlags()
    {
        var contact = Emulator.CreateContact(externalId: "user-1");
        Assert.Equal(0, (await RunAsync("flags", "set", "--contact", contact.Id, "a", "b")).ExitCode);

        var result = await RunAsync("flags", "remove", "--contact", contact.Id, "a", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = Assert.Single(result.StdoutLines);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("contact", root.GetProperty("target").GetProperty("type").GetString());
        Assert.Equal(contact.Id, root.GetProperty("target").GetProperty("id").GetString());
        Assert.Equal("remove", root.GetProperty("operation").GetString());
        Assert.Equal(["b"], root.GetProperty("flags").EnumerateArray().Select(flag => flag.GetString()));
        Assert.Equal(["b"], Emulator.GetOwnFeatureFlags(FeatureFlagTarget.Contact(contact.Id)));
    }

    [Fact]
    public async Task FlagsSet_OrganizationWithoutNames_ClearsItsFlags()
    {
        var organization = Emulator.CreateContactOrganization("Acme Corp");
        Assert.Equal(0, (await RunAsync("flags", "add", "--organization", organization.Id, "billing-v2")).ExitCode);

        var result = await RunAsync("flags", "set", "--organization", organization.Id, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal("contactOrganization", document.RootElement.GetProperty("target").GetProperty("type").GetString());
        Assert.Equal(0, document.RootElement.GetProperty("flags").GetArrayLength());
        Assert.Empty(Emulator.GetOwnFeatureFlags(FeatureFlagTarget.ContactOrganization(organization.Id)));
    }

    [Fact]
    public async Task FlagsSet_UnknownVisitor_ExitsFourWithOneErrorLine()
    {
        var result = await RunAsync("flags", "set", "--visitor", "01JAAAAAAAAAAAAAAAAAAAAAAA", "beta");

        Assert.Equal(4, result.ExitCode);
        var error = Assert.Single(result.StderrLines);
        Assert.Contains("Target not found", error, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("bad,name")]
    [InlineData(" padded")]
    [InlineData("")]
    public async Task FlagsAdd_InvalidName_ExitsTwoBeforeAnyRequest(string name)
    {
        var visitor = Emulator.CreateVisitor();

        var result = await RunAsync("flags", "add", "--visitor", visitor, "ok", name);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("flag name", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Empty(ApiRequests);
    }

    [Theory]
    [InlineData("--visitor", "not-a-ulid")]
    [InlineData("--visitor", "01jaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("--contact", " ")]
    public async Task FlagsAdd_InvalidId_ExitsTwoBeforeAnyRequest(string option, string id)
    {
        var result = await RunAsync("flags", "add", option, id, "beta");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Empty(ApiRequests);
    }

    [Theory]
    [InlineData("flags", "add", "beta")]
    [InlineData("flags", "add", "--visitor", "01JAAAAAAAAAAAAAAAAAAAAAAA", "--contact", "c", "beta")]
    [InlineData("flags", "add", "--visitor", "01JAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("flags", "toggle", "--visitor", "01JAAAAAAAAAAAAAAAAAAAAAAA", "beta")]
    public async Task Flags_BadCommandLine_ExitsTwo(params string[] args)
    {
        var result = await RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.StderrLines);
        Assert.Empty(ApiRequests);
    }
}
