using System.Text.Json;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>
/// The copy-on-identify rule (protocol §7, trace 10): a visitor's onboarding is copied to a contact only when the
/// visitor has some and the contact has none; otherwise the contact's wins; writes then go to the contact; flags
/// are never copied.
/// </summary>
public sealed class EmulatorIdentifyCopyRuleTests
{
    [Fact]
    public async Task IdentifyAsync_VisitorWithProgressThenSecondVisitorWithOwnProgress_ContactStateWinsAndIsNeverMerged()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        await using var v2 = await NewVisitorAsync(emulator);
        var v2Id = v2.VisitorId!;

        // V2: anonymous progress and a visitor-level flag.
        await v2.CompleteOnboardingStepAsync("welcome", Ct);
        using (var plan = JsonDocument.Parse("""{"plan":"pro"}"""))
        {
            await v2.SetOnboardingMetadataAsync("profile", plan.RootElement, Ct);
        }

        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(v2Id), FeatureFlagOperation.Add, ["visitor-flag"], Ct);
        var v2Progress = emulator.GetStoredOnboarding(FeatureFlagTargetType.Visitor, v2Id);
        Assert.NotNull(v2Progress);
        Assert.Equal(2, v2Progress.Count);

        // V2 identifies as a new contact: the progress is copied to it.
        var identified = await v2.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-alice", Email = "alice@example.test", Name = "Alice" }, Ct);
        var contactId = identified.Contact.Id;
        Assert.Equal(v2Progress, emulator.GetStoredOnboarding(FeatureFlagTargetType.Contact, contactId));
        Assert.Equal(emulator.GetSupportState(v2Id), v2.SupportState);
        Assert.Equal(v2Progress, v2.SupportState.Onboarding);

        // Flags are not copied: the contact's own list stays empty, the union still has the visitor's flag.
        Assert.Empty(emulator.GetOwnFeatureFlags(FeatureFlagTarget.Contact(contactId)));
        Assert.Equal(["visitor-flag"], emulator.GetOwnFeatureFlags(FeatureFlagTarget.Visitor(v2Id)));
        Assert.Equal(["visitor-flag"], emulator.GetSupportState(v2Id).FeatureFlags);
        Assert.True(v2.IsFeatureFlagEnabled("visitor-flag"));

        // Updates after identify land on the contact; the visitor's own stored onboarding is unchanged.
        await v2.CompleteOnboardingStepAsync("billing", Ct);
        var contactState = emulator.GetStoredOnboarding(FeatureFlagTargetType.Contact, contactId)!;
        Assert.True(contactState.TryGetStep("billing", out var billing));
        Assert.True(billing.Completed);
        Assert.Equal(v2Progress, emulator.GetStoredOnboarding(FeatureFlagTargetType.Visitor, v2Id));
        Assert.Equal(emulator.GetSupportState(v2Id), v2.SupportState);

        // V3: its OWN different progress, then identifies as the same contact.
        await using var v3 = await NewVisitorAsync(emulator);
        var v3Id = v3.VisitorId!;
        await v3.CompleteOnboardingStepAsync("other-step", Ct);
        var v3Progress = emulator.GetStoredOnboarding(FeatureFlagTargetType.Visitor, v3Id)!;

        var same = await v3.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-alice" }, Ct);

        Assert.Equal(contactId, same.Contact.Id);
        Assert.Equal(contactState, v3.SupportState.Onboarding); // the contact's state, not V3's
        Assert.False(v3.SupportState.Onboarding.TryGetStep("other-step", out _));
        Assert.Equal(emulator.GetSupportState(v3Id), v3.SupportState);
        Assert.Equal(contactState, emulator.GetStoredOnboarding(FeatureFlagTargetType.Contact, contactId)); // not merged
        Assert.Equal(v3Progress, emulator.GetStoredOnboarding(FeatureFlagTargetType.Visitor, v3Id)); // not overwritten

        // V2's visitor-level flag is V2's alone.
        Assert.Empty(v3.SupportState.FeatureFlags);
        Assert.False(v3.IsFeatureFlagEnabled("visitor-flag"));

        // V3's next update also lands on the contact, and V2 sees it on its next fetch.
        await v3.CompleteOnboardingStepAsync("tour", Ct);
        Assert.True(emulator.GetStoredOnboarding(FeatureFlagTargetType.Contact, contactId)!.TryGetStep("tour", out _));
        Assert.Equal(v3Progress, emulator.GetStoredOnboarding(FeatureFlagTargetType.Visitor, v3Id));
        Assert.True((await v2.FetchSupportStateAsync(force: true, Ct)).Onboarding.TryGetStep("tour", out _));
        Assert.Equal(emulator.GetSupportState(v2Id).Onboarding, emulator.GetSupportState(v3Id).Onboarding);
    }

    [Fact]
    public async Task IdentifyAsync_VisitorWithoutProgress_ContactStoresNoOnboarding()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var visitor = await NewVisitorAsync(emulator);

        var identified = await visitor.IdentifyAsync(new IdentifyRequest { Email = "nobody@example.test" }, Ct);

        Assert.Null(emulator.GetStoredOnboarding(FeatureFlagTargetType.Visitor, visitor.VisitorId!));
        Assert.Null(emulator.GetStoredOnboarding(FeatureFlagTargetType.Contact, identified.Contact.Id));
        Assert.Equal(SupportState.Empty, visitor.SupportState);
        Assert.Equal(emulator.GetSupportState(visitor.VisitorId!), visitor.SupportState);

        // The first write after identify creates the contact's state, not the visitor's.
        await visitor.CompleteOnboardingStepAsync("first", Ct);
        Assert.Null(emulator.GetStoredOnboarding(FeatureFlagTargetType.Visitor, visitor.VisitorId!));
        Assert.True(emulator.GetStoredOnboarding(FeatureFlagTargetType.Contact, identified.Contact.Id)!.TryGetStep("first", out _));
    }

    [Fact]
    public async Task IdentifyAsync_ContactHasFlags_VisitorSeesUnionWhileContactFlagsStayOwn()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        var contact = emulator.CreateContact(externalId: "ext-flags");
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Contact(contact.Id), FeatureFlagOperation.Add, ["contact-flag"], Ct);
        await using var visitor = await NewVisitorAsync(emulator);
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitor.VisitorId!), FeatureFlagOperation.Add, ["visitor-flag"], Ct);

        await visitor.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-flags" }, Ct);

        Assert.Equal(["contact-flag", "visitor-flag"], visitor.SupportState.FeatureFlags);
        Assert.Equal(emulator.GetSupportState(visitor.VisitorId!), visitor.SupportState);
        Assert.Equal(["contact-flag"], emulator.GetOwnFeatureFlags(FeatureFlagTarget.Contact(contact.Id)));
        Assert.Equal(["visitor-flag"], emulator.GetOwnFeatureFlags(FeatureFlagTarget.Visitor(visitor.VisitorId!)));
    }
}
