using System.Text.Json;
using Cossistant.Client.Testing;

namespace Cossistant.Client.Benchmarks;

/// <summary>
/// <c>emulator-host</c>: the emulator in a process of its own, seeded with visitors whose state is typical (10 flags,
/// 5 onboarding steps, 3 completed, metadata on some), so the memory mode measures the clients' heap alone. Prints
/// <c>KEY value</c> lines, then <c>READY</c>, and runs until a line arrives on standard input (or it closes).
/// </summary>
internal static class EmulatorHost
{
    public const string Mode = "emulator-host";

    public const int Flags = 10;

    public const int Steps = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        var visitors = CommandLine.IntOption(args, "--visitors", 1000);
        await using var emulator = await CossistantEmulator.StartAsync();
        var ids = Enumerable.Range(0, visitors).Select(_ => emulator.CreateVisitor()).ToArray();

        using var shared = new HttpClient();
        await using var server = new CossistantClient(emulator.CreateClientOptions(privateKey: true), shared);
        using var metadata = JsonDocument.Parse("""{"workspace":"Acme","seats":12}""");
        var flags = Fixtures.FlagNames(Flags);
        var steps = Fixtures.StepIds(Steps);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (visitorId, cancellationToken) =>
        {
            await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Set, flags, cancellationToken);
            await using var visitor = new CossistantClient(emulator.CreateClientOptions(), shared);
            await visitor.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, visitorId);
            for (var i = 0; i < steps.Length; i++)
            {
                var update = OnboardingUpdate.ForStep(steps[i], completed: i < 3, hasMetadata: i % 2 == 0, i % 2 == 0 ? metadata.RootElement : null);
                await visitor.UpdateOnboardingAsync(update, cancellationToken);
            }
        });

        var website = emulator.DefaultWebsite;
        Console.WriteLine($"API {emulator.ApiUrl}");
        Console.WriteLine($"WS {emulator.RealtimeUrl}");
        Console.WriteLine($"WEBSITE {website.Id}");
        Console.WriteLine($"PUBLIC_KEY {website.PublicKey}");
        foreach (var id in ids)
        {
            Console.WriteLine($"VISITOR {id}");
        }

        Console.WriteLine("READY");
        await Console.In.ReadLineAsync();
        return 0;
    }
}
