using Cossistant.Client.IntegrationTests.Emulator;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.TestingKit.KitSupport;

namespace Cossistant.Client.IntegrationTests.TestingKit;

/// <summary>
/// <see cref="CossistantEmulator.SeedVisitor"/>: one call sets a visitor's own flags and onboarding, and what it set is
/// exactly what the API then answers, over REST and (for a visitor that existed) over its open sockets.
/// </summary>
public sealed class SeedVisitorTests
{
    private const string SeededState = """
        {"featureFlags":["beta","new-message"],"onboarding":{"steps":{
          "workspace":{"completed":false,"metadata":{"workspace_name":"Acme","seats":3}},
          "invite-team":{"completed":true,"metadata":null}}}}
        """;

    [Fact]
    public async Task SeedVisitor_NewVisitor_TheApiAnswersExactlyTheSeededFlagsAndSteps()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        var visitorId = emulator.SeedVisitor(seed => seed
            .WithFlags(NewMessage)
            .WithFlags("beta")
            .WithCompletedStep(InviteTeam)
            .WithStep(Workspace, new SeatsMetadata("Acme", 3), completed: false));

        var answer = await GetStateAsync(emulator, visitorId);
        Assert.Equal(200, answer.Status);
        EmulatorTestKit.AssertJsonEqual(SeededState, answer.Body);
        Assert.Equal(emulator.GetSupportState(visitorId), SupportState.Parse(answer.Body));

        // The SDK reads the typed metadata back through the same step.
        await using var client = new CossistantClient(VisitorOptions(emulator));
        await client.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, visitorId);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        Assert.Equal(new SeatsMetadata("Acme", 3), client.GetOnboarding().GetMetadata(Workspace));
        Assert.Equal(Workspace.Id, client.GetOnboarding().CurrentStepId);
    }

    [Fact]
    public async Task SeedVisitor_ExistingVisitorWithAnOpenSocket_TheSocketGetsSupportStateUpdatedWithTheSeededState()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        await using var tab = await FrameListener.ConnectAsync(emulator, visitorId);

        var seeded = emulator.SeedVisitor(seed => seed
            .VisitorId(visitorId)
            .WithFlags(NewMessage, new FeatureFlag("beta"))
            .WithStep(Workspace, new SeatsMetadata("Acme", 3), completed: false)
            .WithCompletedStep(InviteTeam));

        Assert.Equal(visitorId, seeded);
        var frame = await tab.NextAsync("supportStateUpdated");
        Assert.Equal(visitorId, frame.GetProperty("payload").GetProperty("visitorId").GetString());
        EmulatorTestKit.AssertJsonEqual(SeededState, frame.GetProperty("payload").GetProperty("state").GetRawText());
    }

    [Fact]
    public async Task SeedVisitor_ExistingVisitor_ReplacesOnlyWhatTheSeedNames()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.SeedVisitor(seed => seed.WithFlags("a", "b").WithCompletedStep(InviteTeam));

        emulator.SeedVisitor(seed => seed.VisitorId(visitorId).WithFlags("c"));
        Assert.Equal(["c"], emulator.GetOwnFeatureFlags(FeatureFlagTarget.Visitor(visitorId)));
        Assert.True(emulator.GetSupportState(visitorId).Onboarding.TryGetStep(InviteTeam.Id, out var kept) && kept.Completed);

        emulator.SeedVisitor(seed => seed.VisitorId(visitorId).WithStep(Done, completed: false));
        var state = emulator.GetSupportState(visitorId);
        Assert.Equal(["c"], state.FeatureFlags);
        Assert.Equal([Done.Id], state.Onboarding.Steps.Select(step => step.Key));
        Assert.False(state.Onboarding.Steps.Single().Value.Completed);
    }

    [Fact]
    public async Task SeedVisitor_IdentifiedVisitor_OnboardingGoesToItsContactAndFlagsStayTheVisitorsOwn()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var contact = emulator.CreateContact(externalId: "ext-1");
        var visitorId = emulator.CreateVisitor();
        emulator.LinkVisitor(visitorId, contact.Id);

        emulator.SeedVisitor(seed => seed.VisitorId(visitorId).WithFlags(BillingV2).WithCompletedStep(Workspace));

        Assert.True(emulator.GetStoredOnboarding(FeatureFlagTargetType.Contact, contact.Id)!.TryGetStep(Workspace.Id, out var step) && step.Completed);
        Assert.True(emulator.GetSupportState(visitorId).Onboarding.TryGetStep(Workspace.Id, out var resolved) && resolved.Completed);
        Assert.Equal([BillingV2.Name], emulator.GetOwnFeatureFlags(FeatureFlagTarget.Visitor(visitorId)));
        Assert.Empty(emulator.GetOwnFeatureFlags(FeatureFlagTarget.Contact(contact.Id)));
    }

    [Fact]
    public async Task SeedVisitor_UnknownUlid_CreatesTheVisitorWithThatIdInTheGivenWebsite()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var other = emulator.CreateWebsite("Other", "other.example");
        const string chosen = "01HZY8Q5N3W6T4R2M9K7J5G3F1";

        var visitorId = emulator.SeedVisitor(seed => seed.VisitorId(chosen).WithFlags("x"), other.Id);

        Assert.Equal(chosen, visitorId);
        var headers = new List<KeyValuePair<string, string>> { new("Authorization", "Bearer " + other.PrivateApiKey), new("X-Visitor-Id", chosen) };
        var answer = await EmulatorTestKit.SendAsync(HttpMethod.Get, EmulatorTestKit.Api(emulator, "/support/state"), headers);
        Assert.Equal(200, answer.Status);
        EmulatorTestKit.AssertJsonEqual("""{"featureFlags":["x"],"onboarding":{"steps":{}}}""", answer.Body);
    }

    [Fact]
    public async Task SeedVisitor_InvalidInput_ThrowsAndChangesNothing()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var other = emulator.CreateWebsite("Other", "other.example");
        var visitorId = emulator.SeedVisitor(seed => seed.WithFlags("kept"));

        Assert.Throws<ArgumentException>(() => emulator.SeedVisitor(seed => seed.VisitorId("not-a-ulid")));
        Assert.Throws<ArgumentException>(() => emulator.SeedVisitor(seed => seed.VisitorId(visitorId).WithFlags("a,b")));
        Assert.Throws<ArgumentException>(() => emulator.SeedVisitor(seed => seed.VisitorId(visitorId).WithFlags("  ")));
        var moved = Assert.Throws<ArgumentException>(() => emulator.SeedVisitor(seed => seed.VisitorId(visitorId).WithFlags("z"), other.Id));
        Assert.Contains(visitorId, moved.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => emulator.SeedVisitor(null!));

        Assert.Equal(["kept"], emulator.GetOwnFeatureFlags(FeatureFlagTarget.Visitor(visitorId)));
    }
}
