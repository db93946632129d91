// What a WPF or WinForms app on .NET Framework 4.8 writes: one client per visitor, its changes on the UI, the
// typed onboarding, a server-side flag change, and the DI registration of a desktop host.
using System;
using System.Threading;
using System.Threading.Tasks;
using Cossistant.Client;
using Microsoft.Extensions.DependencyInjection;

internal static class Program
{
    private static readonly FeatureFlag NewMessage = new FeatureFlag("new-message");
    private static readonly OnboardingStep Welcome = new OnboardingStep("welcome", isFirst: true);
    private static readonly OnboardingStep Done = new OnboardingStep("done", isLast: true);
    private static readonly SupportConfig Support = SupportConfig.Create(new[] { NewMessage }, new[] { Welcome, Done });

    private static async Task<int> Main()
    {
        var options = new CossistantClientOptions
        {
            ApiUrl = new Uri("https://api.cossistant.com/v1"),
            PublicKey = Environment.GetEnvironmentVariable("COSSISTANT_PUBLIC_KEY") ?? string.Empty,
            Origin = "https://app.example",
            Support = Support,
        };

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (var client = new CossistantClient(options))
        {
            client.SupportStateChanged += (sender, change) => Console.WriteLine("flags now: " + string.Join(", ", change.Current.State.FeatureFlags));
            await client.FetchWebsiteAsync(stop.Token);
            await client.FetchSupportStateAsync(cancellationToken: stop.Token);
            await client.ConnectRealtimeAsync(stop.Token);
            if (client.IsFeatureFlagEnabled(NewMessage))
            {
                await client.CompleteOnboardingStepAsync(Welcome, stop.Token);
            }

            await foreach (var snapshot in client.WatchSupportStateAsync(stop.Token))
            {
                Console.WriteLine(snapshot.Status + ": current step " + client.GetOnboarding().CurrentStepId);
                break;
            }
        }

        var services = new ServiceCollection();
        services.AddCossistant(o =>
        {
            o.ApiUrl = options.ApiUrl;
            o.PrivateApiKey = Environment.GetEnvironmentVariable("COSSISTANT_PRIVATE_API_KEY");
            o.Support = Support;
        });
        using var provider = services.BuildServiceProvider();
        var server = provider.GetRequiredService<ICossistantServerClient>();
        await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor("visitor-id"), FeatureFlagOperation.Add, new[] { NewMessage }, stop.Token);
        return 0;
    }
}
