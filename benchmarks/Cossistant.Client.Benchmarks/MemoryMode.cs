using System.Diagnostics;
using System.Globalization;
using Cossistant.Client.Testing;

namespace Cossistant.Client.Benchmarks;

/// <summary>
/// <c>-- memory</c>: managed bytes a client retains (<see cref="GC.GetTotalMemory(bool)"/> with a full collection,
/// before and after, the clients kept alive). The emulator runs in a child process (<c>emulator-host</c>) so its
/// heap is not counted. Clients use <c>SetWebsiteContextAsync</c> and <c>FetchSupportStateAsync</c>; realtime is not
/// connected. Native memory (socket handles, kernel buffers) is not part of these figures.
/// </summary>
internal static class MemoryMode
{
    private const int Repeats = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        var many = CommandLine.IntOption(args, "--clients", 1000);
        var sessionCount = CommandLine.IntOption(args, "--sessions", 1000);
        var visitorsNeeded = many + sessionCount + 100 + (3 * Repeats) + 4;
        using var host = StartHost(visitorsNeeded);
        var (apiUrl, realtimeUrl, websiteId, publicKey, visitors) = await ReadHostAsync(host);
        var next = 0;
        string NextVisitor() => visitors[next++];

        var config = SupportConfig.Create(
            Fixtures.FlagNames(EmulatorHost.Flags).Select(name => new FeatureFlag(name)),
            Fixtures.DeclaredSteps(EmulatorHost.Steps));
        CossistantClientOptions Options() => new()
        {
            ApiUrl = apiUrl,
            RealtimeUrl = realtimeUrl,
            PublicKey = publicKey,
            Origin = CossistantEmulator.DefaultOrigin,
            Support = config,
        };

        var kept = new List<CossistantClient>();
        async Task<CossistantClient> LoadAsync(HttpClient? http)
        {
            var client = new CossistantClient(Options(), http);
            await client.SetWebsiteContextAsync(websiteId, NextVisitor());
            var state = await client.FetchSupportStateAsync();
            if (state.FeatureFlags.Length != EmulatorHost.Flags || state.Onboarding.Count != EmulatorHost.Steps)
            {
                throw new InvalidOperationException("Unexpected state: " + state);
            }

            return client;
        }

        Console.WriteLine($"Emulator in child process {host.Id} at {apiUrl}; each visitor: {EmulatorHost.Flags} flags, {EmulatorHost.Steps} onboarding steps.");

        // 1. The first client of the process: includes one-time costs (static caches, JSON metadata, the HTTP stack).
        var before = Heap();
        var cold = await LoadAsync(null);
        var cold1 = Heap() - before;
        kept.Add(cold);
        Console.WriteLine($"first client in the process (own HttpClient, cold): {Kb(cold1)}");

        // 2. One idle client with state loaded, its own HttpClient (the default constructor), measured after warmup.
        var own = new List<long>();
        var ownConstructed = new List<long>();
        for (var i = 0; i < Repeats; i++)
        {
            before = Heap();
            var client = new CossistantClient(Options());
            await client.SetWebsiteContextAsync(websiteId, NextVisitor());
            var constructed = Heap() - before;
            var state = await client.FetchSupportStateAsync();
            own.Add(Heap() - before);
            ownConstructed.Add(constructed);
            kept.Add(client);
            GC.KeepAlive(state);
        }

        Console.WriteLine($"one idle client, own HttpClient, state loaded: median {Kb(Median(own))} (runs: {string.Join(", ", own.Select(Kb))}); of which before the fetch: median {Kb(Median(ownConstructed))}");

        // 3. One idle client on a shared HttpClient that already has a pooled connection.
        using var shared = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        kept.Add(await LoadAsync(shared));
        var sharedOne = new List<long>();
        for (var i = 0; i < Repeats; i++)
        {
            before = Heap();
            kept.Add(await LoadAsync(shared));
            sharedOne.Add(Heap() - before);
        }

        Console.WriteLine($"one idle client, shared HttpClient, state loaded: median {Kb(Median(sharedOne))} (runs: {string.Join(", ", sharedOne.Select(Kb))})");

        // 4. Many clients sharing one HttpClient, loaded one after another (one pooled connection).
        var clients = new List<CossistantClient>(many);
        before = Heap();
        for (var i = 0; i < many; i++)
        {
            clients.Add(await LoadAsync(shared));
        }

        var total = Heap() - before;
        var loaded = clients.Count(client => client.Status == SupportStateStatus.Success && client.IsFeatureFlagEnabled("flag-0003"));
        Console.WriteLine($"{many} clients sharing one HttpClient: total {Kb(total)}, per client {Kb(total / many)} ({loaded} with state loaded)");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT one idle client (own HttpClient) {Median(own)} B (target <= 65536: {(Median(own) <= 65536 ? "met" : "missed")}); shared HttpClient {Median(sharedOne)} B; {many} clients sharing one HttpClient {total} B = {total / many} B per client"));

        // 5. Sessions from one factory (the server story): idle, then with their state loaded.
        var (sessionIdle, sessionLoaded, factoryCost) = await MeasureSessionsAsync(Options(), Enumerable.Range(0, sessionCount).Select(_ => NextVisitor()).ToArray());
        Console.WriteLine($"one factory: {Kb(factoryCost)}; {sessionCount} idle sessions: {Kb(sessionIdle)} per session; with state loaded ({EmulatorHost.Flags} flags, {EmulatorHost.Steps} steps each): {Kb(sessionLoaded)} per session");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT idle session from one factory {sessionIdle} B (target <= 2048: {(sessionIdle <= 2048 ? "met" : "missed")}); with its state loaded {sessionLoaded} B"));

        // 6. 1,000 concurrent first reads spread over 100 visitors, through the server client's cache.
        var (reads, requests) = await CountCollapsedReadsAsync(Options(), [.. Enumerable.Range(0, 100).Select(_ => NextVisitor())]);
        Console.WriteLine($"RESULT {reads} concurrent first reads over 100 visitors sent {requests} requests (target exactly 100: {(requests == 100 ? "met" : "missed")})");

        foreach (var client in clients.Concat(kept))
        {
            await client.DisposeAsync();
        }

        await host.StandardInput.WriteLineAsync("stop");
        await host.WaitForExitAsync();
        return loaded == many ? 0 : 1;
    }

    /// <summary>Sessions of distinct visitors from one warmed-up factory: bytes per session before and after each loads its state.</summary>
    private static async Task<(long Idle, long Loaded, long Factory)> MeasureSessionsAsync(CossistantClientOptions options, string[] visitors)
    {
        var start = Heap();
        await using var factory = new CossistantSessionFactory(options);
        await using (var warm = factory.CreateSession(visitors[0]))
        {
            await warm.FetchSupportStateAsync(); // the HTTP stack and JSON metadata, once per process
        }

        var factoryCost = Heap() - start;
        var sessions = new CossistantSession[visitors.Length - 1];
        var before = Heap();
        for (var i = 0; i < sessions.Length; i++)
        {
            sessions[i] = factory.CreateSession(visitors[i + 1]);
        }

        var idle = (Heap() - before) / sessions.Length;
        foreach (var session in sessions)
        {
            await session.FetchSupportStateAsync();
        }

        var loaded = (Heap() - before) / sessions.Length;
        if (sessions.Any(session => session.SupportState.FeatureFlags.Length != EmulatorHost.Flags))
        {
            throw new InvalidOperationException("A session did not load its state.");
        }

        foreach (var session in sessions)
        {
            await session.DisposeAsync();
        }

        return (idle, loaded, factoryCost);
    }

    /// <summary>Reads through one factory's server client and counts the requests that reach the wire.</summary>
    private static async Task<(int Reads, int Requests)> CountCollapsedReadsAsync(CossistantClientOptions options, string[] visitors)
    {
        var requests = 0;
        using var http = new HttpClient(new CountingHandler(() => Interlocked.Increment(ref requests))) { Timeout = Timeout.InfiniteTimeSpan };
        await using var factory = new CossistantSessionFactory(options, http);
        var server = factory.ServerClient;
        const int Reads = 1_000;
        using var start = new ManualResetEventSlim();
        var readers = Enumerable.Range(0, Reads).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await server.GetCachedVisitorSupportStateAsync(visitors[i % visitors.Length]);
        })).ToArray();
        start.Set();
        var states = await Task.WhenAll(readers);
        if (states.Any(state => state.FeatureFlags.Length != EmulatorHost.Flags))
        {
            throw new InvalidOperationException("A read did not get the visitor's state.");
        }

        return (Reads, Volatile.Read(ref requests));
    }

    private static long Heap() => GC.GetTotalMemory(forceFullCollection: true);

    private static long Median(List<long> values) => values.Order().ElementAt(values.Count / 2);

    private static string Kb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes} B ({bytes / 1024.0:F1} KB)");

    private static Process StartHost(int visitors)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(MemoryMode).Assembly.Location);
        }

        start.ArgumentList.Add(EmulatorHost.Mode);
        start.ArgumentList.Add("--visitors");
        start.ArgumentList.Add(visitors.ToString(CultureInfo.InvariantCulture));
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the emulator host.");
    }

    private static async Task<(Uri Api, Uri Realtime, string WebsiteId, string PublicKey, List<string> Visitors)> ReadHostAsync(Process host)
    {
        Uri? api = null, realtime = null;
        string? website = null, publicKey = null;
        var visitors = new List<string>();
        while (await host.StandardOutput.ReadLineAsync() is { } line)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var (key, value) = space < 0 ? (line, string.Empty) : (line[..space], line[(space + 1)..]);
            switch (key)
            {
                case "API": api = new Uri(value); break;
                case "WS": realtime = new Uri(value); break;
                case "WEBSITE": website = value; break;
                case "PUBLIC_KEY": publicKey = value; break;
                case "VISITOR": visitors.Add(value); break;
                case "READY":
                    return (api!, realtime!, website!, publicKey!, visitors);
                default: break;
            }
        }

        throw new InvalidOperationException($"The emulator host exited before it was ready (exit code {(host.HasExited ? host.ExitCode : -1)}).");
    }

    private sealed class CountingHandler(Action counted) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counted();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
