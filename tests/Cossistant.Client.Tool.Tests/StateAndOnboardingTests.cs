using System.Text.Json;
using Cossistant.Client.Tool.Tests.Infrastructure;

namespace Cossistant.Client.Tool.Tests;

/// <summary><c>cossistant state</c> and <c>cossistant onboarding ...</c> against the emulator.</summary>
public sealed class StateAndOnboardingTests : EmulatorTestBase
{
    [Fact]
    public async Task State_Json_IsTheApiShapeWithTheVisitorId()
    {
        var organization = Emulator.CreateContactOrganization("Acme Corp");
        var contact = Emulator.CreateContact(externalId: "user-1", contactOrganizationId: organization.Id);
        var visitor = Emulator.CreateVisitor();
        Emulator.LinkVisitor(visitor, contact.Id);
        Assert.Equal(0, (await RunAsync("flags", "add", "--organization", organization.Id, "billing-v2")).ExitCode);
        Assert.Equal(0, (await RunAsync("flags", "add", "--visitor", visitor, "beta")).ExitCode);

        var result = await RunAsync("state", "--visitor", visitor, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(Assert.Single(result.StdoutLines));
        var root = document.RootElement;
        Assert.Equal(visitor, root.GetProperty("visitorId").GetString());
        Assert.Equal(["beta", "billing-v2"], root.GetProperty("featureFlags").EnumerateArray().Select(flag => flag.GetString()));
        Assert.Equal(JsonValueKind.Object, root.GetProperty("onboarding").GetProperty("steps").ValueKind);
    }

    [Fact]
    public async Task State_Text_ListsFlagsAndSteps()
    {
        var visitor = Emulator.CreateVisitor();
        Assert.Equal(0, (await RunAsync("onboarding", "set-metadata", "--visitor", visitor, "workspace", """{"workspaceName":"Acme"}""")).ExitCode);
        Assert.Equal(0, (await RunAsync("onboarding", "complete", "--visitor", visitor, "workspace")).ExitCode);

        var result = await RunAsync("state", "--visitor", visitor);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [$"visitor {visitor}", "feature flags: (none)", "onboarding: 1 of 1 steps completed", """[x] workspace  {"workspaceName":"Acme"}"""],
            result.StdoutLines);
    }

    [Fact]
    public async Task State_UnknownVisitor_ExitsFour()
    {
        var result = await RunAsync("state", "--visitor", "01JAAAAAAAAAAAAAAAAAAAAAAA", "--json");

        Assert.Equal(4, result.ExitCode);
        using var error = JsonDocument.Parse(Assert.Single(result.StderrLines));
        Assert.Equal("not-found", error.RootElement.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal(404, error.RootElement.GetProperty("error").GetProperty("status").GetInt32());
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Onboarding_CompleteUncompleteMetadataReset_ChangeTheStoredState()
    {
        var visitor = Emulator.CreateVisitor();

        var complete = await RunAsync("onboarding", "complete", "--visitor", visitor, "invite-team", "--json");
        Assert.True(complete.ExitCode == 0, complete.ToString());
        using (var state = JsonDocument.Parse(complete.Stdout))
        {
            Assert.Equal(visitor, state.RootElement.GetProperty("visitorId").GetString());
            Assert.True(state.RootElement.GetProperty("onboarding").GetProperty("steps").GetProperty("invite-team").GetProperty("completed").GetBoolean());
        }

        Assert.True(Stored(visitor).Steps["invite-team"].Completed);

        Assert.Equal(0, (await RunAsync("onboarding", "metadata", "--visitor", visitor, "invite-team", """{"invited":["ana@acme.example"]}""")).ExitCode);
        Assert.Equal("""{"invited":["ana@acme.example"]}""", Stored(visitor).Steps["invite-team"].Metadata!.Value.GetRawText());

        Assert.Equal(0, (await RunAsync("onboarding", "uncomplete", "--visitor", visitor, "invite-team")).ExitCode);
        Assert.False(Stored(visitor).Steps["invite-team"].Completed);

        Assert.Equal(0, (await RunAsync("onboarding", "set-metadata", "--visitor", visitor, "invite-team", "null")).ExitCode);
        Assert.Null(Stored(visitor).Steps["invite-team"].Metadata);

        var reset = await RunAsync("onboarding", "reset", "--visitor", visitor);
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Contains($"Reset the onboarding for visitor {visitor}.", reset.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Stored(visitor).Count);
    }

    [Theory]
    [InlineData("set-metadata", "workspace", "[1]")]
    [InlineData("set-metadata", "workspace", "{not json")]
    [InlineData("set-metadata", " ", "{}")]
    [InlineData("complete", "", null)]
    public async Task Onboarding_BadInput_ExitsTwoBeforeAnyRequest(string command, string step, string? metadata)
    {
        var visitor = Emulator.CreateVisitor();
        string[] args = metadata is null
            ? ["onboarding", command, "--visitor", visitor, step]
            : ["onboarding", command, "--visitor", visitor, step, metadata];

        var result = await RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StderrLines);
        Assert.Empty(ApiRequests);
    }

    [Fact]
    public async Task Onboarding_InvalidVisitorId_ExitsTwoBeforeAnyRequest()
    {
        var result = await RunAsync("onboarding", "reset", "--visitor", "visitor-1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ULID", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Empty(ApiRequests);
    }

    private OnboardingState Stored(string visitor) =>
        Emulator.GetStoredOnboarding(FeatureFlagTargetType.Visitor, visitor) ?? throw new InvalidOperationException("no stored onboarding");
}
