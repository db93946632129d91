// Cossistant.Client quickstart: the support-state story end to end.
// By default it starts the in-process emulator (no account, no network). Set COSSISTANT_API_URL (and
// COSSISTANT_WS_URL, COSSISTANT_PUBLIC_KEY, COSSISTANT_PRIVATE_API_KEY, COSSISTANT_ORIGIN) to run the same
// story against a real Cossistant API. With --telemetry it prints the client's spans and metrics through the
// OpenTelemetry console exporter.
using System.Diagnostics;
using Cossistant.Client;
using Cossistant.Client.Testing;
using Quickstart;

using var telemetry = Telemetry.StartIf(args);
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
var cancellationToken = timeout.Token;
var story = new Story();

var apiUrl = Environment.GetEnvironmentVariable("COSSISTANT_API_URL");
CossistantEmulator? emulator = null;
CossistantClientOptions visitorOptions;
CossistantClientOptions serverOptions;
if (string.IsNullOrWhiteSpace(apiUrl))
{
    emulator = await CossistantEmulator.StartAsync(cancellationToken: cancellationToken);
    Console.WriteLine($"Started the Cossistant emulator at {emulator.ApiUrl} (realtime {emulator.RealtimeUrl}).");
    visitorOptions = emulator.CreateClientOptions();
    serverOptions = emulator.CreateClientOptions(privateKey: true);
}
else
{
    Console.WriteLine($"Using the Cossistant API at {apiUrl}.");
    visitorOptions = new CossistantClientOptions
    {
        ApiUrl = new Uri(apiUrl),
        RealtimeUrl = new Uri(Required("COSSISTANT_WS_URL")),
        PublicKey = Required("COSSISTANT_PUBLIC_KEY"),
        Origin = Required("COSSISTANT_ORIGIN"),
    };
    serverOptions = new CossistantClientOptions
    {
        ApiUrl = visitorOptions.ApiUrl,
        RealtimeUrl = visitorOptions.RealtimeUrl,
        PrivateApiKey = Required("COSSISTANT_PRIVATE_API_KEY"),
    };
}

visitorOptions.Support = Support.Config;
using (Telemetry.StartStory())
await using (emulator)
await using (var visitor = new CossistantClient(visitorOptions))
await using (var server = new CossistantClient(serverOptions))
{
    Console.WriteLine();
    Console.WriteLine("1. The visitor's app loads the website and its support state.");
    var website = await visitor.FetchWebsiteAsync(cancellationToken);
    story.Check($"website \"{website.Name}\", visitor {visitor.VisitorId}", visitor.VisitorId is not null);
    await visitor.FetchSupportStateAsync(cancellationToken: cancellationToken);
    story.Check($"support state loaded: flags [{string.Join(", ", visitor.SupportState.FeatureFlags)}]", visitor.Status == SupportStateStatus.Success);
    story.Check("\"new-message\" is off for now", !visitor.IsFeatureFlagEnabled(Support.NewMessage));

    Console.WriteLine();
    Console.WriteLine("2. The server turns \"new-message\" on with the private key; the visitor hears it in realtime.");
    await visitor.ConnectRealtimeAsync(cancellationToken);
    story.Check($"realtime connected ({visitor.RealtimeConnectionState.ConnectionId})", visitor.RealtimeConnectionState.Status == RealtimeConnectionStatus.Connected);
    var flagArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    visitor.SupportStateChanged += (_, change) =>
    {
        if (change.FlagsAdded.Contains(Support.NewMessage.Name))
        {
            flagArrived.TrySetResult();
        }
    };
    var clock = Stopwatch.StartNew();
    var mutation = await server.MutateSupportFeatureFlagsAsync(
        FeatureFlagTarget.Visitor(visitor.VisitorId!), FeatureFlagOperation.Add, [Support.NewMessage], cancellationToken);
    story.Check($"server: the visitor's own flags are now [{string.Join(", ", mutation.Flags)}]", mutation.Flags.Contains(Support.NewMessage.Name));
    await flagArrived.Task.WaitAsync(cancellationToken);
    story.Check($"visitor: \"new-message\" is on, {clock.Elapsed.TotalMilliseconds:F1} ms after the mutation was sent", visitor.IsFeatureFlagEnabled(Support.NewMessage));

    Console.WriteLine();
    Console.WriteLine("3. The visitor works through onboarding (optimistic updates, typed metadata).");
    story.Check($"current step: \"{visitor.GetOnboarding().CurrentStepId}\"", visitor.GetOnboarding().CurrentStepId == Support.Workspace.Id);
    await visitor.SetOnboardingMetadataAsync(Support.Workspace, new WorkspaceMetadata("Acme"), cancellationToken);
    await visitor.CompleteOnboardingStepAsync(Support.Workspace, cancellationToken);
    var onboarding = visitor.GetOnboarding();
    story.Check($"workspace completed with metadata {onboarding.GetMetadata(Support.Workspace)}", onboarding.IsStepCompleted(Support.Workspace));
    story.Check($"current step moved to \"{onboarding.CurrentStepId}\"", onboarding.CurrentStepId == Support.InviteTeam.Id);

    Console.WriteLine();
    Console.WriteLine("4. The visitor signs up: identify links it to a contact, and the progress comes along.");
    var identified = await visitor.IdentifyAsync(new IdentifyRequest { Email = $"ana+{visitor.VisitorId}@acme.example", Name = "Ana" }, cancellationToken);
    story.Check($"linked to contact {identified.Contact.Id}", identified.Contact.Id.Length > 0);
    onboarding = visitor.GetOnboarding();
    story.Check($"after identify the current step is still \"{onboarding.CurrentStepId}\"", onboarding.CurrentStepId == Support.InviteTeam.Id);
    if (emulator is not null)
    {
        var stored = emulator.GetStoredOnboarding(FeatureFlagTargetType.Contact, identified.Contact.Id);
        story.Check($"the contact now stores the progress: {stored}", stored?.Steps.ContainsKey(Support.Workspace.Id) == true);
    }
}

Console.WriteLine();
Console.WriteLine(story.Failures == 0 ? "Every step of the story held." : $"{story.Failures} step(s) failed.");
return story.Failures == 0 ? 0 : 1;

static string Required(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"COSSISTANT_API_URL is set, so {name} must be set too (see README: Quickstart against a real API).");
