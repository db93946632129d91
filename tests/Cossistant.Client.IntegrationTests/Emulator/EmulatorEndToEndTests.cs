using System.Text.Json;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;
using S = Cossistant.Client.IntegrationTests.Emulator.EmulatorSupport;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>
/// The client end to end against the emulator over loopback: every operation, and after each one the client's
/// state equals what <c>GET /support/state</c> would answer (<see cref="CossistantEmulator.GetSupportState"/>).
/// </summary>
public sealed class EmulatorEndToEndTests
{
    [Fact]
    public async Task EveryOperation_AgainstEmulator_ClientStateEqualsServerStateAfterEach()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var visitor = new CossistantClient(VisitorOptions(emulator));
        await using var server = ServerClient(emulator);

        // FetchWebsiteAsync: the website and a newly created visitor.
        var website = await visitor.FetchWebsiteAsync(Ct);
        Assert.Equal(emulator.DefaultWebsite.Id, website.Id);
        Assert.Equal("Acme", website.Name);
        Assert.Equal(emulator.DefaultWebsite.OrganizationId, website.OrganizationId);
        var visitorId = Assert.IsType<string>(visitor.VisitorId);
        Assert.Equal(website.Visitor!.Id, visitorId);
        Assert.Null(website.Visitor.Contact);
        Assert.Equal(emulator.DefaultWebsite.Id, visitor.WebsiteId);

        // FetchSupportStateAsync: empty for a new visitor.
        var fetched = await visitor.FetchSupportStateAsync(cancellationToken: Ct);
        Assert.Equal(SupportStateStatus.Success, visitor.Status);
        Assert.Equal(emulator.GetSupportState(visitorId), fetched);
        Assert.Equal(SupportState.Empty, visitor.SupportState);
        Assert.False(visitor.IsFeatureFlagEnabled(S.NewMessage));
        Assert.False(visitor.IsFeatureFlagEnabled("new-message"));

        // Flags arrive through realtime (the mutation response does not change any visitor's local state).
        await ConnectAndSettleAsync(emulator, visitor);

        // Visitor target, typed handles: add, then IsFeatureFlagEnabled typed and by name.
        var added = await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, [S.NewMessage], Ct);
        Assert.Equal(FeatureFlagTarget.Visitor(visitorId), added.Target);
        Assert.Equal(["new-message"], added.Flags);
        await AssertInSyncAsync(emulator, visitor, "visitor add");
        Assert.True(visitor.IsFeatureFlagEnabled(S.NewMessage));
        Assert.True(visitor.IsFeatureFlagEnabled("new-message"));
        Assert.False(visitor.IsFeatureFlagEnabled("New-Message")); // case-sensitive
        Assert.False(visitor.IsFeatureFlagEnabled(S.BillingV2));

        // SetOnboardingMetadataAsync, typed step (source-generated JsonTypeInfo).
        var afterTyped = await visitor.SetOnboardingMetadataAsync(S.Workspace, new WorkspaceMetadata("Acme", 3), Ct);
        Assert.Equal(emulator.GetSupportState(visitorId), afterTyped);
        await AssertInSyncAsync(emulator, visitor, "typed metadata");
        AssertJsonEqual("""{"stepId":"workspace","metadata":{"workspaceName":"Acme","seats":3}}""", LastOnboardingBody(emulator));
        Assert.Equal(new WorkspaceMetadata("Acme", 3), visitor.GetOnboarding().GetMetadata(S.Workspace));
        Assert.False(visitor.GetOnboarding().IsStepCompleted(S.Workspace));

        // CompleteOnboardingStepAsync (typed): completed, metadata kept, current step moves on.
        await visitor.CompleteOnboardingStepAsync(S.Workspace, Ct);
        await AssertInSyncAsync(emulator, visitor, "complete workspace");
        AssertJsonEqual("""{"stepId":"workspace","completed":true}""", LastOnboardingBody(emulator));
        var onboarding = visitor.GetOnboarding();
        Assert.True(onboarding.IsStepCompleted(S.Workspace));
        Assert.Equal(new WorkspaceMetadata("Acme", 3), onboarding.GetMetadata(S.Workspace));
        Assert.Equal(S.InviteTeam.Id, onboarding.CurrentStepId);

        // SetOnboardingMetadataAsync, the JsonElement/string path.
        using (var invited = JsonDocument.Parse("""{"invited":["a@acme.com"],"count":1}"""))
        {
            await visitor.SetOnboardingMetadataAsync("invite-team", invited.RootElement, Ct);
        }

        await AssertInSyncAsync(emulator, visitor, "metadata by id");
        AssertJsonEqual("""{"stepId":"invite-team","metadata":{"invited":["a@acme.com"],"count":1}}""", LastOnboardingBody(emulator));
        Assert.True(visitor.SupportState.Onboarding.TryGetStep("invite-team", out var inviteStep));
        Assert.False(inviteStep.Completed);
        Assert.Equal(1, inviteStep.Metadata!.Value.GetProperty("count").GetInt32());

        // Null clears (string path): "metadata": null is sent, not an absent key.
        await visitor.SetOnboardingMetadataAsync("invite-team", null, Ct);
        await AssertInSyncAsync(emulator, visitor, "clear metadata by id");
        AssertJsonEqual("""{"stepId":"invite-team","metadata":null}""", LastOnboardingBody(emulator));
        Assert.True(visitor.SupportState.Onboarding.TryGetStep("invite-team", out inviteStep));
        Assert.Null(inviteStep.Metadata);

        // Null clears (typed path); completed is kept.
        await visitor.SetOnboardingMetadataAsync(S.Workspace, null, Ct);
        await AssertInSyncAsync(emulator, visitor, "clear typed metadata");
        AssertJsonEqual("""{"stepId":"workspace","metadata":null}""", LastOnboardingBody(emulator));
        Assert.Null(visitor.GetOnboarding().GetMetadata(S.Workspace));
        Assert.True(visitor.GetOnboarding().IsStepCompleted(S.Workspace));

        // Complete by id, then UncompleteOnboardingStepAsync typed and by id.
        await visitor.CompleteOnboardingStepAsync("invite-team", Ct);
        await visitor.CompleteOnboardingStepAsync(S.Done, Ct);
        await AssertInSyncAsync(emulator, visitor, "complete all");
        Assert.True(visitor.GetOnboarding().IsCompleted);
        await visitor.UncompleteOnboardingStepAsync(S.Workspace, Ct);
        await AssertInSyncAsync(emulator, visitor, "uncomplete typed");
        AssertJsonEqual("""{"stepId":"workspace","completed":false}""", LastOnboardingBody(emulator));
        Assert.Equal(S.Workspace.Id, visitor.GetOnboarding().CurrentStepId);
        await visitor.UncompleteOnboardingStepAsync("done", Ct);
        await AssertInSyncAsync(emulator, visitor, "uncomplete by id");
        Assert.False(visitor.GetOnboarding().IsStepCompleted(S.Done));

        // The visitor (not yet identified) stores its own progress.
        Assert.Equal(emulator.GetSupportState(visitorId).Onboarding, emulator.GetStoredOnboarding(FeatureFlagTargetType.Visitor, visitorId));

        // ResetOnboardingAsync clears everything.
        var afterReset = await visitor.ResetOnboardingAsync(Ct);
        AssertJsonEqual("""{"reset":true}""", LastOnboardingBody(emulator));
        Assert.Equal(0, afterReset.Onboarding.Count);
        await AssertInSyncAsync(emulator, visitor, "reset");
        Assert.Equal(0, visitor.SupportState.Onboarding.Count);

        // IdentifyAsync into a contact organization, then the client reloads the state.
        var organization = emulator.CreateContactOrganization("Acme Corp");
        await visitor.CompleteOnboardingStepAsync(S.Workspace, Ct);
        var identified = await visitor.IdentifyAsync(
            new IdentifyRequest { ExternalId = "user-42", Email = "ana@acme.example", Name = "Ana", ContactOrganizationId = organization.Id }, Ct);
        Assert.Equal(visitorId, identified.VisitorId);
        Assert.Equal("user-42", identified.Contact.ExternalId);
        Assert.Equal("ana@acme.example", identified.Contact.Email);
        Assert.Equal(organization.Id, identified.Contact.ContactOrganizationId);
        Assert.Equal(identified.Contact.Id, visitor.Website!.Visitor!.Contact!.Id);
        await AssertInSyncAsync(emulator, visitor, "identify");
        var contactId = identified.Contact.Id;
        Assert.True(emulator.GetStoredOnboarding(FeatureFlagTargetType.Contact, contactId)!.TryGetStep("workspace", out _));

        // Contact target: add / remove / set.
        var contact = FeatureFlagTarget.Contact(contactId);
        await MutateAndCheckAsync(contact, FeatureFlagOperation.Add, ["billing-v2", "contact-only"], ["billing-v2", "contact-only"]);
        Assert.True(visitor.IsFeatureFlagEnabled(S.BillingV2));
        await MutateAndCheckAsync(contact, FeatureFlagOperation.Remove, ["contact-only", "absent"], ["billing-v2"]);
        await MutateAndCheckAsync(contact, FeatureFlagOperation.Set, ["zeta", "Alpha"], ["Alpha", "zeta"]);
        Assert.False(visitor.IsFeatureFlagEnabled(S.BillingV2));

        // Contact organization target: add / remove / set.
        var org = FeatureFlagTarget.ContactOrganization(organization.Id);
        await MutateAndCheckAsync(org, FeatureFlagOperation.Add, ["org-flag", "billing-v2"], ["billing-v2", "org-flag"]);
        Assert.True(visitor.IsFeatureFlagEnabled(S.BillingV2));
        await MutateAndCheckAsync(org, FeatureFlagOperation.Remove, ["billing-v2"], ["org-flag"]);
        await MutateAndCheckAsync(org, FeatureFlagOperation.Set, [], []);

        // Visitor target: remove / set (add was above).
        var own = FeatureFlagTarget.Visitor(visitorId);
        await MutateAndCheckAsync(own, FeatureFlagOperation.Set, ["beta", " gamma "], ["beta", "gamma"]);
        Assert.False(visitor.IsFeatureFlagEnabled(S.NewMessage));
        await MutateAndCheckAsync(own, FeatureFlagOperation.Remove, ["beta"], ["gamma"]);
        Assert.Equal(["Alpha", "gamma", "zeta"], visitor.SupportState.FeatureFlags); // the union of the three levels

        // GetVisitorSupportStateAsync: any visitor's state, without touching the caller's own state.
        await using var api = ServerApi(emulator);
        var read = await api.GetVisitorSupportStateAsync(visitorId, Ct);
        Assert.Equal(emulator.GetSupportState(visitorId), read);
        Assert.Equal(SupportState.Empty, server.SupportState);
        var other = emulator.CreateVisitor();
        await using var publicApi = new CossistantServerClient(VisitorOptions(emulator)); // a public key reads its website's visitors too
        Assert.Equal(SupportState.Empty, await publicApi.GetVisitorSupportStateAsync(other, Ct));
        Assert.Equal(emulator.GetSupportState(visitorId), visitor.SupportState);

        // FetchSupportStateAsync(force) still agrees at the end.
        Assert.Equal(emulator.GetSupportState(visitorId), await visitor.FetchSupportStateAsync(force: true, Ct));

        async Task MutateAndCheckAsync(FeatureFlagTarget target, FeatureFlagOperation operation, string[] flags, string[] expectedOwn)
        {
            var result = await server.MutateSupportFeatureFlagsAsync(target, operation, flags, Ct);
            Assert.Equal(target, result.Target);
            Assert.Equal(expectedOwn, result.Flags);
            Assert.Equal(expectedOwn, emulator.GetOwnFeatureFlags(target));
            await AssertInSyncAsync(emulator, visitor, $"{operation} on {target.Type}");
        }
    }

    [Fact]
    public async Task GetVisitorSupportStateAsync_UnknownVisitor_Throws404VisitorNotFound()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerApi(emulator);

        var error = await Assert.ThrowsAsync<CossistantApiException>(() => server.GetVisitorSupportStateAsync("01M89BS7KM4V1Q9AHKD2C4DT3S", Ct));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("NOT_FOUND", error.ErrorCode);
        Assert.Equal("Visitor not found", error.ServerMessage);
    }

    [Fact]
    public async Task MutateSupportFeatureFlagsAsync_UnknownTargetOfEachType_Throws404TargetNotFound()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        FeatureFlagTarget[] targets =
        [
            FeatureFlagTarget.Visitor("01M89BS7KM4V1Q9AHKD2C4DT3S"),
            FeatureFlagTarget.Contact("01M89BS7KV56PPNJWWECFXG04N"),
            FeatureFlagTarget.ContactOrganization("01M89BS7M6BV8REMRMDFF7Q2E3"),
        ];

        foreach (var target in targets)
        {
            var error = await Assert.ThrowsAsync<CossistantApiException>(
                () => server.MutateSupportFeatureFlagsAsync(target, FeatureFlagOperation.Add, ["x"], Ct));
            Assert.Equal(404, error.StatusCode);
            Assert.Equal("NOT_FOUND", error.ErrorCode);
            Assert.Equal("Target not found", error.ServerMessage);
        }
    }

    [Fact]
    public async Task MutateSupportFeatureFlagsAsync_PublicKeyClient_ThrowsBeforeAnyRequest()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var visitor = await NewVisitorAsync(emulator);
        emulator.ClearRequests();

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => visitor.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitor.VisitorId!), FeatureFlagOperation.Add, ["x"], Ct));

        Assert.Empty(emulator.Requests);
    }

    [Fact]
    public async Task FetchWebsiteAsync_VisitorBlockedByEmulator_ClientRefusesVisitorCallsWithoutRequests()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var visitor = await NewVisitorAsync(emulator);
        emulator.SetVisitorBlocked(visitor.VisitorId!, blocked: true);

        var website = await visitor.FetchWebsiteAsync(Ct);
        emulator.ClearRequests();

        Assert.True(website.Visitor!.IsBlocked);
        Assert.True(visitor.IsVisitorBlocked);
        var error = await Assert.ThrowsAsync<CossistantException>(() => visitor.FetchSupportStateAsync(force: true, Ct));
        Assert.Equal(CossistantErrorCodes.VisitorBlocked, error.ErrorCode);
        Assert.Empty(emulator.Requests);
    }

    private static string LastOnboardingBody(CossistantEmulator emulator) =>
        emulator.Requests.Last(request => request.Method == "PATCH" && request.Path == "/v1/support/onboarding").Body;
}
