using System.Collections.Concurrent;
using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.Testing;
using Microsoft.Extensions.Logging;
using static Cossistant.Client.IntegrationTests.Reliability.ReliabilityKit;

namespace Cossistant.Client.IntegrationTests.Reliability;

/// <summary>
/// Secrets (issue 7 §4, client.md §5.5): after a broad scenario — success paths, 401/403, 1008 refusals, retries,
/// cancellations, server messages that echo a key — no key appears in any log line, exception text, request URL or
/// body, or options description; the private key travels only in <c>Authorization</c>, the public key only in
/// <c>X-Public-Key</c>.
/// </summary>
public sealed class SecretLeakTests
{
    [Fact(Timeout = 90_000)]
    public async Task BroadScenario_NoKeyInLogsExceptionsUrlsOrOptions_PrivateKeyOnlyInAuthorization()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var website = emulator.DefaultWebsite;
        var other = emulator.CreateWebsite("Other", "other.example", ["other.example"]);
        var wrongPublic = TestData.NewPublicKey();
        var wrongPrivate = TestData.NewPrivateKey();
        string[] publicKeys = [website.PublicKey, other.PublicKey, wrongPublic];
        string[] privateKeys = [website.PrivateApiKey, wrongPrivate];
        var exceptions = new ConcurrentQueue<Exception>();
        var texts = new List<string>();
        var options = new List<CossistantClientOptions>();
        var clients = new List<CossistantClient>();
        var apis = new List<CossistantServerClient>();

        async Task Try(Func<Task> step)
        {
            try
            {
                await step();
            }
            catch (Exception exception)
            {
                exceptions.Enqueue(exception);
            }
        }

        CossistantClientOptions Prepare(CossistantClientOptions o, Action<CossistantClientOptions>? configure)
        {
            o.LoggerFactory = loggerFactory;
            o.Support = ReliabilitySupport.Config;
            o.Retry.MaxRetryAttempts = 2;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
            o.Realtime.ReconnectBaseDelay = TimeSpan.FromMilliseconds(20);
            o.Realtime.ReconnectMaxDelay = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
            options.Add(o);
            return o;
        }

        CossistantClient Client(CossistantClientOptions o, Action<CossistantClientOptions>? configure = null)
        {
            var client = new CossistantClient(Prepare(o, configure));
            clients.Add(client);
            return client;
        }

        CossistantServerClient Api(CossistantClientOptions o, Action<CossistantClientOptions>? configure = null)
        {
            var api = new CossistantServerClient(Prepare(o, configure));
            apis.Add(api);
            return api;
        }

        try
        {
            // The happy path, with realtime, events and a reconnect.
            var visitor = Client(emulator.CreateClientOptions());
            var server = Client(emulator.CreateClientOptions(privateKey: true));
            await visitor.FetchWebsiteAsync(Ct);
            var visitorId = visitor.VisitorId!;
            await visitor.FetchSupportStateAsync(cancellationToken: Ct);
            await visitor.ConnectRealtimeAsync(Ct);
            await server.SetWebsiteContextAsync(website.Id, visitorId); // a private-key socket for that visitor
            await server.ConnectRealtimeAsync(Ct);
            await visitor.CompleteOnboardingStepAsync(ReliabilitySupport.Project, Ct);
            await visitor.SetOnboardingMetadataAsync(ReliabilitySupport.Project, new ProjectMetadata("Acme", 3), Ct);
            await visitor.UncompleteOnboardingStepAsync("invite", Ct);
            await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["alpha"], Ct);
            await EventuallyAsync(() => visitor.IsFeatureFlagEnabled(ReliabilitySupport.Alpha), "the flag event");
            await Api(emulator.CreateClientOptions(privateKey: true)).GetVisitorSupportStateAsync(visitorId, Ct);
            emulator.Faults.DropAllSockets();
            await EventuallyAsync(() => visitor.RealtimeConnectionState.Status == RealtimeConnectionStatus.Connected
                && server.RealtimeConnectionState.Status == RealtimeConnectionStatus.Connected
                && emulator.OpenSockets == 2, "the reconnects");
            await visitor.IdentifyAsync(new IdentifyRequest { ExternalId = "user-1", Email = "ada@example.com" }, Ct);
            await visitor.ResetOnboardingAsync(Ct);

            // Retries: within the budget, then beyond it.
            emulator.Faults.FailNextRequests(2, 503, pathPrefix: "/v1/support/state");
            await visitor.FetchSupportStateAsync(force: true, Ct);
            emulator.Faults.FailNextRequests(2, 429, pathPrefix: "/v1/support/feature-flags");
            await server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Remove, ["alpha"], Ct);
            emulator.Faults.FailNextRequests(3, 503, pathPrefix: "/v1/support/onboarding");
            await Try(() => visitor.CompleteOnboardingStepAsync("invite", Ct));

            // Servers that echo the caller's key back, in text and in JSON (each client knows only its own keys).
            emulator.Faults.FailNextRequests(1, 500, $"internal error while checking key {website.PublicKey}", pathPrefix: "/v1/websites");
            await Try(() => Client(emulator.CreateClientOptions(), o => o.Retry.MaxRetryAttempts = 0).FetchWebsiteAsync(Ct));
            emulator.Faults.FailNextRequests(
                1, 400, $$"""{"error":"BAD_KEY","message":"key {{website.PublicKey}} rejected","details":{"key":"{{website.PublicKey}}""" + "\"}}",
                "application/json", "/v1/support/onboarding");
            await Try(() => visitor.CompleteOnboardingStepAsync("done", Ct));
            texts.Add(visitor.SupportStateSnapshot.Error?.ToString() ?? string.Empty);
            emulator.Faults.FailNextRequests(
                1, 422, $$"""{"code":"KEY_{{website.PrivateApiKey}}","message":"Bearer {{website.PrivateApiKey}} is not allowed here"}""",
                "application/json", "/v1/support/feature-flags");
            await Try(() => server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["gamma"], Ct));
            emulator.Faults.FailNextRequests(1, 503, $"upstream said: token={website.PrivateApiKey}", pathPrefix: "/v1/support/state");
            await Try(() => Api(emulator.CreateClientOptions(privateKey: true), o => o.Retry.MaxRetryAttempts = 0).GetVisitorSupportStateAsync(visitorId, Ct));

            // Cancellation mid-request.
            emulator.Faults.DelayNextRequests(1, TimeSpan.FromSeconds(2));
            using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                cancel.CancelAfter(100);
                await Try(() => visitor.SetOnboardingMetadataAsync("project", null, cancel.Token));
            }

            // 401 and 403: wrong public key, Origin not on the allowlist, no Origin, wrong private key.
            await Try(() => Client(emulator.CreateClientOptions(), o => o.PublicKey = wrongPublic).FetchWebsiteAsync(Ct));
            await Try(() => Client(emulator.CreateClientOptions(), o => o.Origin = "https://evil.example").FetchWebsiteAsync(Ct));
            await Try(() => Client(emulator.CreateClientOptions(other)).FetchWebsiteAsync(Ct)); // localhost not allowed there
            var wrongServer = Client(emulator.CreateClientOptions(privateKey: true), o => o.PrivateApiKey = wrongPrivate);
            await Try(() => wrongServer.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Visitor(visitorId), FeatureFlagOperation.Add, ["beta"], Ct));
            await Try(() => Api(emulator.CreateClientOptions(privateKey: true), o => o.PrivateApiKey = wrongPrivate).GetVisitorSupportStateAsync(visitorId, Ct));
            await Try(() => server.MutateSupportFeatureFlagsAsync(FeatureFlagTarget.Contact("no-such-contact"), FeatureFlagOperation.Add, ["beta"], Ct));

            // Realtime refusals (1008): wrong public key, Origin not allowed, wrong private key.
            var badRealtime = Client(emulator.CreateClientOptions(), o => o.PublicKey = wrongPublic);
            await badRealtime.SetWebsiteContextAsync(website.Id, visitorId);
            await Try(() => badRealtime.ConnectRealtimeAsync(Ct));
            var badOrigin = Client(emulator.CreateClientOptions(), o => o.Origin = "https://evil.example");
            await badOrigin.SetWebsiteContextAsync(website.Id, visitorId);
            await Try(() => badOrigin.ConnectRealtimeAsync(Ct));
            await wrongServer.SetWebsiteContextAsync(website.Id, visitorId);
            await Try(() => wrongServer.ConnectRealtimeAsync(Ct));
            await Try(() => badRealtime.ReconnectRealtimeAsync(Ct));

            // The 401/403 and refusals really happened.
            var recorded = emulator.Requests;
            Assert.Contains(recorded, r => r.StatusCode == 401);
            Assert.Contains(recorded, r => r.StatusCode == 403);
            Assert.Contains(exceptions, e => e is CossistantRealtimeException);
            Assert.Contains(exceptions, e => e is CossistantAuthenticationException { StatusCode: 401 });
            Assert.Contains(exceptions, e => e is CossistantAuthenticationException { StatusCode: 403 });
            Assert.Contains(exceptions, e => e is OperationCanceledException);
            Assert.Contains(exceptions, e => e is CossistantApiException { StatusCode: 503 });
            Assert.Contains(exceptions, e => e is CossistantApiException { StatusCode: 500 });
            Assert.Contains(exceptions, e => e is CossistantValidationException { StatusCode: 400 });
            Assert.Contains(exceptions, e => e is CossistantValidationException { StatusCode: 422 });
            Assert.Contains(recorded, r => r.Path == "/ws" && r.StatusCode == 101);

            // Everything the app or an operator could see.
            foreach (var client in clients)
            {
                texts.Add(client.RealtimeConnectionState.ToString());
                texts.Add(client.RealtimeConnectionState.LastError?.ToString() ?? string.Empty);
                texts.Add(client.SupportStateSnapshot.Error?.ToString() ?? string.Empty);
                texts.Add(client.SupportStateSnapshot.ToString());
                texts.Add(client.Website?.ToString() ?? string.Empty);
            }

            foreach (var exception in exceptions)
            {
                for (var inner = exception; inner is not null; inner = inner.InnerException)
                {
                    texts.Add(inner.ToString());
                    texts.Add(inner.Message);
                    texts.Add((inner as CossistantException)?.ServerMessage ?? string.Empty);
                    texts.Add((inner as CossistantException)?.Details ?? string.Empty);
                    texts.Add((inner as CossistantException)?.ErrorCode ?? string.Empty);
                }
            }

            texts.AddRange(options.Select(o => o.ToString()));
            texts.AddRange(logs.Entries.Select(entry => entry.ToString()));
            texts.AddRange(recorded.Select(r => r.Method + " " + r.Path + r.Query));
            texts.AddRange(recorded.Select(r => r.Body));

            var secrets = publicKeys.Concat(privateKeys).ToArray();
            var leaks = (from text in texts
                         from secret in secrets
                         from fragment in new[] { secret, secret[^64..], secret[^64..^52] } // the key, its hex, its first 12 hex digits
                         where text.Contains(fragment, StringComparison.OrdinalIgnoreCase)
                         select $"{secret[..10]}…: {text[..Math.Min(text.Length, 300)]}").Distinct().ToArray();

            // The keys travel only in their own header.
            var misplaced = new List<string>();
            foreach (var request in recorded)
            {
                foreach (var (name, value) in request.Headers)
                {
                    if (privateKeys.Any(key => value.Contains(key[^64..], StringComparison.OrdinalIgnoreCase))
                        && !(name == "authorization" && privateKeys.Any(key => value == "Bearer " + key)))
                    {
                        misplaced.Add($"{request.Method} {request.Path}: private key in \"{name}\"");
                    }

                    if (publicKeys.Any(key => value.Contains(key[^64..], StringComparison.OrdinalIgnoreCase))
                        && !(name == "x-public-key" && publicKeys.Contains(value)))
                    {
                        misplaced.Add($"{request.Method} {request.Path}: public key in \"{name}\"");
                    }
                }
            }

            var privateSent = recorded.Count(r => r.Header("authorization") is { } value && privateKeys.Any(key => value == "Bearer " + key));
            Out($"secrets: scanned {texts.Count} texts ({logs.Count} log lines, {exceptions.Count} exceptions, {recorded.Count} requests, "
                + $"{options.Count} options), {privateSent} requests carried the private key in Authorization; {leaks.Length} leaks, {misplaced.Count} misplaced keys");
            Assert.True(privateSent > 0);
            Assert.Contains(recorded, r => r.Header("x-public-key") == website.PublicKey);
            Assert.True(leaks.Length == 0, "Keys leaked:" + Environment.NewLine + string.Join(Environment.NewLine, leaks));
            Assert.True(misplaced.Count == 0, string.Join(Environment.NewLine, misplaced));
            Assert.All(options, o => Assert.Contains("[redacted]", o.ToString(), StringComparison.Ordinal));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task RealtimeErrorFramesEchoingTheKey_KeyNotInLogsOrExceptions()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = VisitorOptions(emulator, loggerFactory);
        await using var client = new CossistantClient(options);
        await client.FetchWebsiteAsync(Ct);
        await client.ConnectRealtimeAsync(Ct);
        var key = emulator.DefaultWebsite.PublicKey;

        // A server (or a proxy) that echoes the credentials it got: in non-fatal error frames...
        await emulator.Faults.PushRawAsync(client.VisitorId!, $$"""{"type":"error","code":500,"message":"rate limit for key {{key}}"}""");
        await emulator.Faults.PushRawAsync(client.VisitorId!, $$"""{"error":"Invalid message format","details":"bad frame from {{key}}"}""");
        await EventuallyAsync(() => logs.Entries.Count(e => e.EventId.Id == 25) >= 2, "the error frames to be logged");

        // ...and in the refusal before a 1008 close.
        await using var server = await RawFrameServer.StartAsync();
        var refusedKey = TestData.NewPublicKey();
        server.AuthFailureFrame = $$"""{"error":"Authentication failed","message":"Invalid API key {{refusedKey}}","code":401}""";
        await using var refused = new CossistantClient(new CossistantClientOptions
        {
            ApiUrl = server.ApiUrl,
            RealtimeUrl = server.RealtimeUrl,
            PublicKey = refusedKey,
            Origin = TestData.Origin,
            LoggerFactory = loggerFactory,
        });
        await refused.SetWebsiteContextAsync(RawFrameServer.WebsiteId, RawFrameServer.VisitorId);
        var error = await Assert.ThrowsAsync<CossistantRealtimeException>(() => refused.ConnectRealtimeAsync(Ct));
        Assert.True(refused.RealtimeConnectionState.IsPermanentFailure);

        string[] texts = [.. logs.Entries.Select(e => e.ToString()), error.ToString(), error.ServerMessage ?? string.Empty,
            refused.RealtimeConnectionState.LastError?.ToString() ?? string.Empty];
        var leaks = texts.Where(t => t.Contains(key[^64..], StringComparison.Ordinal) || t.Contains(refusedKey[^64..], StringComparison.Ordinal)).ToArray();
        Assert.True(leaks.Length == 0, string.Join(Environment.NewLine, leaks));
    }
}
