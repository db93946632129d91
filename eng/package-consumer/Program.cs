using Cossistant.Client;
using Cossistant.Client.Testing;
using Microsoft.Extensions.DependencyInjection;

await using var emulator = await CossistantEmulator.StartAsync();
var newMessage = new FeatureFlag("new-message");
var options = emulator.CreateClientOptions();
options.Support = SupportConfig.Create([newMessage], [new OnboardingStep("welcome", isFirst: true), new OnboardingStep("done", isLast: true)]);
await using var client = new CossistantClient(options);
await client.FetchWebsiteAsync();
await client.FetchSupportStateAsync();
await client.CompleteOnboardingStepAsync("welcome");

var services = new ServiceCollection();
services.AddCossistant(o =>
{
    var server = emulator.CreateClientOptions(privateKey: true);
    o.ApiUrl = server.ApiUrl;
    o.PrivateApiKey = server.PrivateApiKey;
}).WithVisitorIdFromRequest() // Cossistant.Client.AspNetCore
    .AddBlazor();              // Cossistant.Client.Blazor
await using var provider = services.BuildServiceProvider();
var serverClient = provider.GetRequiredService<ICossistantServerClient>();
await serverClient.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(client.VisitorId!), FeatureFlagOperation.Add, [newMessage]);
await client.FetchSupportStateAsync(force: true);
var cached = await serverClient.IsFeatureFlagEnabledAsync(client.VisitorId!, newMessage);

var blazorReady = typeof(Cossistant.Client.Blazor.SupportProvider).Assembly.GetName().Name == "Cossistant.Client.Blazor";
var ok = client.IsFeatureFlagEnabled(newMessage) && cached && blazorReady && client.GetOnboarding().CurrentStepId == "done";
Console.WriteLine(ok ? "Package consumer: OK" : "Package consumer: FAILED");
return ok ? 0 : 1;
