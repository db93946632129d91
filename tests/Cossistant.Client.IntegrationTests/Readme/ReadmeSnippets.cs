// The code shown in README.md, compiled. ReadmeSnippetTests checks that every C# block of the README appears
// here (or in ReadmeTestingSnippets.cs, or in samples/) verbatim, so the README never shows code that does not compile.
#pragma warning disable CA1034, CA1062, CA1812, CA2007, IDE0059
using System.Text.Json;
using System.Text.Json.Serialization;
using Cossistant.Client;
using Cossistant.Client.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cossistant.Client.IntegrationTests.Readme;

public static class Support
{
    public static readonly FeatureFlag NewMessage = new("new-message");
    public static readonly FeatureFlag BillingV2 = new("billing-v2");

    public static readonly OnboardingStep<WorkspaceMetadata> Workspace =
        new("workspace", AppJsonContext.Default.WorkspaceMetadata, isFirst: true);
    public static readonly OnboardingStep<InviteTeamMetadata> InviteTeam =
        new("invite-team", AppJsonContext.Default.InviteTeamMetadata);
    public static readonly OnboardingStep Done = new("done", isLast: true);

    // Validated here: an invalid config throws SupportConfigException with the TypeScript SDK's message.
    public static readonly SupportConfig Config = SupportConfig.Create([NewMessage, BillingV2], [Workspace, InviteTeam, Done]);
}

public sealed record WorkspaceMetadata(string? WorkspaceName);
public sealed record InviteTeamMetadata(IReadOnlyList<string>? InvitedEmails);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WorkspaceMetadata))]
[JsonSerializable(typeof(InviteTeamMetadata))]
internal sealed partial class AppJsonContext : JsonSerializerContext;

internal static class ReadmeSnippets
{
    public static CossistantClient Configure() =>
        new CossistantClient(new CossistantClientOptions
        {
            PublicKey = Environment.GetEnvironmentVariable("COSSISTANT_PUBLIC_KEY"),
            Origin = "https://app.example.com",   // required with a public key; its domain must be allowlisted
            Support = Support.Config,
            VisitorIdStore = new FileVisitorIdStore(Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "MyApp", "cossistant-visitor")),
        });

    public static async Task Flags(CossistantClient client)
    {
        await client.FetchWebsiteAsync();        // creates or refreshes the visitor (the id is kept)
        await client.FetchSupportStateAsync();   // cached after success; concurrent calls share one request

        if (client.IsFeatureFlagEnabled(Support.NewMessage))   // lock-free, allocation-free, synchronous
        {
            // show the new button
        }

        bool dynamic = client.IsFeatureFlagEnabled("billing-v2");   // by name, for flags known only at run time

        client.SupportStateChanged += (_, change) =>
        {
            if (change.FlagsAdded.Contains(Support.NewMessage.Name))
            {
                Console.WriteLine("new-message was just turned on");
            }
        };
    }

    public static async Task Onboarding(CossistantClient client)
    {
        var onboarding = client.GetOnboarding();
        if (onboarding.CurrentStepId == Support.InviteTeam.Id)
        {
            await client.SetOnboardingMetadataAsync(Support.InviteTeam, new InviteTeamMetadata(["ana@acme.example"]));
            await client.CompleteOnboardingStepAsync(Support.InviteTeam);
        }

        WorkspaceMetadata? workspace = client.GetOnboarding().GetMetadata(Support.Workspace);
        await client.SetOnboardingMetadataAsync(Support.Workspace, null);   // null clears the step's metadata
    }

    public static async Task Streams(CossistantClient client, CancellationToken cancellationToken)
    {
        await foreach (var snapshot in client.WatchSupportStateAsync(cancellationToken))
        {
            Console.WriteLine($"{snapshot.Status}: {string.Join(", ", snapshot.State.FeatureFlags)}");
        }
    }

    public static async Task Realtime(CossistantClient client)
    {
        client.RealtimeConnectionStateChanged += (_, change) =>
            Console.WriteLine($"realtime: {change.Current.Status} {change.Current.LastError?.Message}");

        await client.ConnectRealtimeAsync();   // returns once connected; reconnects by itself afterwards

        if (client.RealtimeConnectionState.IsPermanentFailure)
        {
            // keys or Origin refused (close 1008): fix them, then
            await client.ReconnectRealtimeAsync();
        }
    }

    public static void DesktopDependencyInjection(IServiceCollection services)
    {
        services.AddCossistant(options =>
        {
            options.PublicKey = Environment.GetEnvironmentVariable("COSSISTANT_PUBLIC_KEY");
            options.Origin = "https://app.example.com";
            options.Support = Support.Config;
            options.Realtime.AutoConnect = true;   // connect as soon as the visitor is known
        }).AddVisitorClient();
    }

    public static void ServerDependencyInjection(IServiceCollection services, IConfiguration configuration)
    {
        services.AddCossistant(configuration.GetSection("Cossistant"), options => options.Support = Support.Config)
            .WithVisitorIdFromRequest();   // Cossistant.Client.AspNetCore: X-Visitor-Id header, else the cossistant_visitor_id cookie
    }

    public static async Task ServerApp(
        ICossistantServerClient server, CossistantSession session, string visitorId, string contactId, CancellationToken cancellationToken)
    {
        // Any visitor, from anywhere: a cached read (no request while fresh; concurrent readers share one request).
        bool enabled = await server.IsFeatureFlagEnabledAsync(visitorId, Support.NewMessage, cancellationToken);

        // Changes with the private key: the cached visitors they reach are refreshed at once.
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Contact(contactId), FeatureFlagOperation.Add, [Support.NewMessage], cancellationToken);
        await server.CompleteOnboardingStepAsync(visitorId, Support.Done, cancellationToken);

        // The request's visitor: a scoped CossistantSession, disposed with the request.
        await session.FetchSupportStateAsync(cancellationToken: cancellationToken);
        if (session.IsFeatureFlagEnabled(Support.NewMessage))
        {
            await session.SetOnboardingMetadataAsync(Support.InviteTeam, new InviteTeamMetadata(["ana@acme.example"]), cancellationToken);
        }
    }

    public static async Task ServerSide(CossistantClient server, string contactId)
    {
        var result = await server.MutateSupportFeatureFlagsAsync(
            FeatureFlagTarget.Contact(contactId), FeatureFlagOperation.Add, [Support.NewMessage]);
        Console.WriteLine($"the contact's own flags: {string.Join(", ", result.Flags)}");
    }

    public static async Task Testing()
    {
        await using var emulator = await CossistantEmulator.StartAsync();
        var options = emulator.CreateClientOptions();   // ApiUrl, RealtimeUrl, a public key, an allowlisted Origin
        options.Support = Support.Config;
        await using var client = new CossistantClient(options);

        await client.FetchWebsiteAsync();
        await client.ConnectRealtimeAsync();
        emulator.Faults.FailNextRequests(2, statusCode: 503);      // the client retries
        await client.FetchSupportStateAsync(force: true);
        emulator.Faults.DropAllSockets();                           // the client reconnects and catches up
        SupportState onServer = emulator.GetSupportState(client.VisitorId!);
    }

    public static void Production(IServiceCollection services)
    {
        services.AddCossistant(options =>
        {
            options.PublicKey = Environment.GetEnvironmentVariable("COSSISTANT_PUBLIC_KEY");
            options.Origin = "https://app.example.com";
            options.Support = Support.Config;
            options.LastKnownStateStore = new FileLastKnownStateStore(Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "MyApp", "cossistant-state"));
        }).WarmUpOnStart(TimeSpan.FromSeconds(10));   // the host starts with the client ready (or logs why not)

        services.AddHealthChecks()
            .AddCossistant(maxStateAge: TimeSpan.FromMinutes(2), tags: ["ready"]);   // Cossistant.Client.AspNetCore
    }

    public static async Task Ready(CossistantClient client, CancellationToken cancellationToken)
    {
        // Website, state, and the socket when realtime is on, in one call; TimeoutException names what was missing.
        SupportStateSnapshot ready = await client.EnsureReadyAsync(TimeSpan.FromSeconds(10), cancellationToken);

        if (client.SupportStateSnapshot.IsFromCache)
        {
            // the last run's state, shown until the server answers (Status is Cached, or Error while offline)
        }
    }

    public static async Task Errors(CossistantClient client)
    {
        try
        {
            await client.CompleteOnboardingStepAsync(Support.Workspace);
        }
        catch (CossistantAuthenticationException error)   // 401/403: keys or Origin
        {
            Console.WriteLine($"{error.StatusCode} {error.ServerMessage}");
        }
        catch (CossistantApiException error)              // any other failure, after retries
        {
            Console.WriteLine($"{error.StatusCode} {error.ErrorCode}: {error.ServerMessage}");
        }
    }
}
