using System.Collections.Concurrent;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>
/// <c>supportStateUpdated</c> reaches exactly the affected visitors' sockets (protocol §5, §8; trace 10): each
/// visitor runs an SDK client with <c>ConnectRealtimeAsync</c> plus a raw "second tab" socket that counts frames
/// the SDK would silently drop.
/// </summary>
public sealed class EmulatorFanOutTests
{
    [Fact]
    public async Task VisitorTargetMutation_ThreeConnectedVisitors_ReachesOnlyThatVisitor()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        await using var v1 = await LiveVisitor.CreateAsync(emulator);
        await using var v2 = await LiveVisitor.CreateAsync(emulator);
        await using var v3 = await LiveVisitor.CreateAsync(emulator);
        await LiveVisitor.GoLiveAsync(emulator, v1, v2, v3);

        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(v1.Id), FeatureFlagOperation.Add, ["only-v1"], Ct);

        await v1.Tab.WaitForSupportStateUpdatesAsync(1);
        await AssertInSyncAsync(emulator, v1.Client, "the visitor mutation");
        Assert.True(v1.Client.IsFeatureFlagEnabled("only-v1"));
        await QuietWindowAsync();
        Assert.Equal(1, v1.Tab.SupportStateUpdates);
        v2.AssertNothingArrived();
        v3.AssertNothingArrived();
        Assert.False(v2.Client.IsFeatureFlagEnabled("only-v1"));
    }

    [Fact]
    public async Task ContactTargetMutation_TwoVisitorsOfContactAndOneUnrelated_ReachesBothVisitorsOfTheContactOnly()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        await using var v1 = await LiveVisitor.CreateAsync(emulator);
        await using var v2 = await LiveVisitor.CreateAsync(emulator);
        await using var unrelated = await LiveVisitor.CreateAsync(emulator);
        var shared = await v1.Client.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-shared", Name = "Alice" }, Ct);
        var again = await v2.Client.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-shared" }, Ct);
        Assert.Equal(shared.Contact.Id, again.Contact.Id);
        await unrelated.Client.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-other" }, Ct);
        await LiveVisitor.GoLiveAsync(emulator, v1, v2, unrelated);

        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Contact(shared.Contact.Id), FeatureFlagOperation.Add, ["contact-flag"], Ct);

        await v1.Tab.WaitForSupportStateUpdatesAsync(1);
        await v2.Tab.WaitForSupportStateUpdatesAsync(1);
        await AssertInSyncAsync(emulator, v1.Client, "the contact mutation (v1)");
        await AssertInSyncAsync(emulator, v2.Client, "the contact mutation (v2)");
        Assert.True(v1.Client.IsFeatureFlagEnabled("contact-flag"));
        Assert.True(v2.Client.IsFeatureFlagEnabled("contact-flag"));
        await QuietWindowAsync();
        Assert.Equal(1, v1.Tab.SupportStateUpdates);
        Assert.Equal(1, v2.Tab.SupportStateUpdates);
        unrelated.AssertNothingArrived();
        Assert.False(unrelated.Client.IsFeatureFlagEnabled("contact-flag"));
    }

    [Fact]
    public async Task ContactOrganizationTargetMutation_VisitorsOfEveryContactInOrg_ReachesAllOfThemAndNoOneElse()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        var organization = emulator.CreateContactOrganization("Acme Corp");
        await using var a1 = await LiveVisitor.CreateAsync(emulator);
        await using var a2 = await LiveVisitor.CreateAsync(emulator);
        await using var b1 = await LiveVisitor.CreateAsync(emulator);
        await using var c1 = await LiveVisitor.CreateAsync(emulator);
        await using var outsider = await LiveVisitor.CreateAsync(emulator);

        // Contact A (two visitors) joins the organization through identify.
        await a1.Client.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-a", ContactOrganizationId = organization.Id }, Ct);
        await a2.Client.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-a" }, Ct);

        // Contact B is seeded, linked, then moved into the organization.
        var contactB = emulator.CreateContact(externalId: "ext-b");
        emulator.LinkVisitor(b1.Id, contactB.Id);
        emulator.SetContactOrganization(contactB.Id, organization.Id);

        // Contact C is seeded directly inside the organization.
        var contactC = emulator.CreateContact(email: "c@acme.example", contactOrganizationId: organization.Id);
        emulator.LinkVisitor(c1.Id, contactC.Id);

        // The outsider is a contact without an organization.
        await outsider.Client.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-outsider" }, Ct);
        await LiveVisitor.GoLiveAsync(emulator, a1, a2, b1, c1, outsider);

        await server.MutateSupportFeatureFlagsAsync(
            FeatureFlagTarget.ContactOrganization(organization.Id), FeatureFlagOperation.Add, ["org-flag"], Ct);

        foreach (var member in new[] { a1, a2, b1, c1 })
        {
            await member.Tab.WaitForSupportStateUpdatesAsync(1);
            await AssertInSyncAsync(emulator, member.Client, "the organization mutation");
            Assert.True(member.Client.IsFeatureFlagEnabled("org-flag"));
        }

        await QuietWindowAsync();
        foreach (var member in new[] { a1, a2, b1, c1 })
        {
            Assert.Equal(1, member.Tab.SupportStateUpdates);
        }

        outsider.AssertNothingArrived();
        Assert.False(outsider.Client.IsFeatureFlagEnabled("org-flag"));
        Assert.DoesNotContain("org-flag", emulator.GetSupportState(outsider.Id).FeatureFlags);
    }

    [Fact]
    public async Task OnboardingUpdate_ByOneVisitorOfContact_ReachesOwnSocketButNotTheOtherVisitorOfTheContact()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var v2 = await LiveVisitor.CreateAsync(emulator);
        await using var v3 = await LiveVisitor.CreateAsync(emulator);
        var contact = await v2.Client.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-trace-10" }, Ct);
        await v3.Client.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-trace-10" }, Ct);
        await LiveVisitor.GoLiveAsync(emulator, v2, v3);

        await v2.Client.CompleteOnboardingStepAsync("tour", Ct);

        // Positive control: V2's own second tab hears about it, with V2's full state.
        await v2.Tab.WaitForSupportStateUpdatesAsync(1);
        await AssertInSyncAsync(emulator, v2.Client, "V2's onboarding update");
        Assert.Contains("\"tour\"", v2.Tab.Frames.Last(frame => FrameType(frame) == "supportStateUpdated"), StringComparison.Ordinal);

        // Trace 10: "V3 frames during 1.5s after V2 onboarding update: 0".
        await QuietWindowAsync();
        Assert.Equal(1, v2.Tab.SupportStateUpdates);
        v3.AssertNothingArrived();
        Assert.False(v3.Client.SupportState.Onboarding.TryGetStep("tour", out _));

        // The write landed on the contact, so V3 sees it on its next fetch.
        Assert.True(emulator.GetStoredOnboarding(FeatureFlagTargetType.Contact, contact.Contact.Id)!.TryGetStep("tour", out _));
        await v3.Client.FetchSupportStateAsync(force: true, Ct);
        Assert.True(v3.Client.SupportState.Onboarding.TryGetStep("tour", out var tour));
        Assert.True(tour.Completed);
        Assert.Equal(emulator.GetSupportState(v3.Id), v3.Client.SupportState);
    }

    [Fact]
    public async Task NoOpMutation_RemoveAbsentFlag_StillEmitsEventToEveryAffectedVisitor()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var server = ServerClient(emulator);
        await using var v1 = await LiveVisitor.CreateAsync(emulator);
        await using var v2 = await LiveVisitor.CreateAsync(emulator);
        var contact = await v1.Client.IdentifyAsync(new IdentifyRequest { Email = "both@acme.example" }, Ct);
        await v2.Client.IdentifyAsync(new IdentifyRequest { Email = "both@acme.example" }, Ct);
        await LiveVisitor.GoLiveAsync(emulator, v1, v2);
        var before1 = v1.Client.SupportState;
        var changes1 = v1.Changes.Count;

        var visitorResult = await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(v1.Id), FeatureFlagOperation.Remove, ["absent"], Ct);
        Assert.Empty(visitorResult.Flags);

        await v1.Tab.WaitForSupportStateUpdatesAsync(1);

        // The SDK client takes the no-op event without announcing anything: events reach a socket in order, so once a
        // marker sent after it has arrived, the only change announced is the marker's.
        var markerAnnounced = Infrastructure.Until.AnnouncedAsync(
            v1.Client, change => change.FlagsAdded.Contains("marker"), "the marker after the no-op event reached the SDK client");
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(v1.Id), FeatureFlagOperation.Add, ["marker"], Ct);
        await markerAnnounced;
        var change = Assert.Single(v1.Changes.Skip(changes1));
        Assert.Equal(["marker"], change.FlagsAdded);
        Assert.Equal(before1.FeatureFlags, change.Previous.State.FeatureFlags);
        Assert.Empty(change.FlagsRemoved);
        Assert.Empty(change.StepsChanged);

        // A no-op on the contact reaches both of its visitors.
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Contact(contact.Contact.Id), FeatureFlagOperation.Remove, ["absent"], Ct);
        await v1.Tab.WaitForSupportStateUpdatesAsync(3);
        await v2.Tab.WaitForSupportStateUpdatesAsync(1);
        Assert.Equal(emulator.GetSupportState(v2.Id), v2.Client.SupportState);
    }
}

/// <summary>One visitor: an SDK client (realtime connected), a raw second tab, and the client's change log.</summary>
internal sealed class LiveVisitor : IAsyncDisposable
{
    private int _baseline;

    private LiveVisitor(CossistantClient client)
    {
        Client = client;
        Changes = RecordChanges(client);
    }

    public CossistantClient Client { get; }

    public string Id => Client.VisitorId!;

    public ConcurrentQueue<SupportStateChangedEventArgs> Changes { get; }

    public RawSocket Tab { get; private set; } = null!;

    public static async Task<LiveVisitor> CreateAsync(CossistantEmulator emulator) => new(await NewVisitorAsync(emulator));

    /// <summary>Connects every visitor's SDK socket and raw tab after the set-up, so set-up events are not counted.</summary>
    public static async Task GoLiveAsync(CossistantEmulator emulator, params LiveVisitor[] visitors)
    {
        foreach (var visitor in visitors)
        {
            await ConnectAndSettleAsync(emulator, visitor.Client);
            Assert.Equal(emulator.GetSupportState(visitor.Id), visitor.Client.SupportState);
            visitor.Tab = await RawSocket.ConnectVisitorAsync(emulator, visitor.Id);
            visitor._baseline = visitor.Changes.Count;
        }
    }

    /// <summary>Neither the SDK client nor the raw tab got anything since going live.</summary>
    public void AssertNothingArrived()
    {
        Assert.Equal(0, Tab.SupportStateUpdates);
        Assert.Equal(_baseline, Changes.Count);
    }

    public async ValueTask DisposeAsync()
    {
        if (Tab is not null)
        {
            await Tab.DisposeAsync();
        }

        await Client.DisposeAsync();
    }
}
