using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Reliability.ReliabilityKit;

namespace Cossistant.Client.IntegrationTests.Reliability;

/// <summary>
/// Bad input from the app (issue 7 §3, client.md §5.4): every public method of <see cref="CossistantClient"/> (and
/// the public types an app builds its arguments with) rejects invalid arguments with an
/// <see cref="ArgumentException"/> naming the parameter, before any request reaches the server.
/// </summary>
public sealed class BadAppInputTests
{
    private const string ValidUlid = "01M89BS86B272X41E3XTDC4PR3";

    /// <summary>One call with invalid arguments: which client it uses, the call, and the parameter it must name.</summary>
    private sealed record Row(string Name, Func<Clients, object?> Call, string ParamName, Type? ExceptionType = null);

    /// <summary>The clients a row can use: a visitor client whose visitor is loaded, a private-key client, a fresh client.</summary>
    private sealed record Clients(CossistantClient Visitor, CossistantClient Server, CossistantClient Fresh, CossistantServerClient Api);

    [Fact(Timeout = 60_000)]
    public async Task EveryPublicMethod_InvalidArguments_ArgumentExceptionNamingTheParameter_AndNoRequest()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var visitor = new CossistantClient(VisitorOptions(emulator));
        await visitor.FetchWebsiteAsync(Ct);
        await using var server = new CossistantClient(ServerOptions(emulator));
        await using var api = new CossistantServerClient(ServerOptions(emulator));
        var failures = new List<string>();
        var rows = ArgumentRows(emulator);
        foreach (var row in rows)
        {
            await using var fresh = new CossistantClient(VisitorOptions(emulator));
            var before = emulator.Requests.Count;
            var error = await CaptureAsync(() => row.Call(new Clients(visitor, server, fresh, api)));
            var after = emulator.Requests.Count;
            var verdict = error switch
            {
                null => "no exception",
                ArgumentException argument when row.ExceptionType is { } type && argument.GetType() != type =>
                    $"{argument.GetType().Name} instead of {type.Name}",
                ArgumentException { ParamName: null } => "ParamName is not set",
                ArgumentException argument when argument.ParamName != row.ParamName => $"ParamName \"{argument.ParamName}\", expected \"{row.ParamName}\"",
                ArgumentException => null,
                _ => $"{error.GetType().Name}: {error.Message}",
            };
            if (after != before)
            {
                verdict = (verdict is null ? string.Empty : verdict + "; ") + $"{after - before} request(s) sent";
            }

            Out($"{(verdict is null ? "ok  " : "FAIL")} {row.Name}: {(error is null ? "-" : $"{error.GetType().Name}({(error as ArgumentException)?.ParamName})")}{(verdict is null ? string.Empty : " → " + verdict)}");
            if (verdict is not null)
            {
                failures.Add($"{row.Name}: {verdict}");
            }
        }

        Out($"bad app arguments tried: {rows.Count}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task StepIdOverloads_WhitespaceStepId_ArgumentExceptionAndNoRequest()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = new CossistantClient(VisitorOptions(emulator));
        await client.FetchWebsiteAsync(Ct);
        var before = emulator.Requests.Count;

        Assert.Equal("stepId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => client.CompleteOnboardingStepAsync("   ", Ct))).ParamName);
        Assert.Equal("stepId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => client.UncompleteOnboardingStepAsync(" \t", Ct))).ParamName);
        Assert.Equal("stepId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => client.SetOnboardingMetadataAsync("\n", null, Ct))).ParamName);
        Assert.Equal(before, emulator.Requests.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task MisusedClient_ConfigAndStateErrors_ThrownBeforeAnyRequest()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var visitor = new CossistantClient(VisitorOptions(emulator));
        await visitor.FetchWebsiteAsync(Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var server = new CossistantClient(ServerOptions(emulator));
        var disposed = new CossistantClient(VisitorOptions(emulator));
        await disposed.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, visitor.VisitorId);
        await using var api = new CossistantServerClient(ServerOptions(emulator));
        await disposed.DisposeAsync();
        var noVisitor = new CossistantClient(VisitorOptions(emulator));
        var target = FeatureFlagTarget.Visitor(visitor.VisitorId!);
        var rows = new (string Name, Func<object?> Call, Type Expected)[]
        {
            // A feature-flag mutation without a private key (client.md §5.4).
            ("MutateSupportFeatureFlagsAsync with a public key", () => visitor.MutateSupportFeatureFlagsAsync(target, FeatureFlagOperation.Add, ["alpha"], Ct), typeof(InvalidOperationException)),

            // Visitor-scoped calls with no visitor.
            ("FetchSupportStateAsync without a visitor", () => noVisitor.FetchSupportStateAsync(true, Ct), typeof(InvalidOperationException)),
            ("CompleteOnboardingStepAsync without a visitor", () => noVisitor.CompleteOnboardingStepAsync("project", Ct), typeof(InvalidOperationException)),
            ("UncompleteOnboardingStepAsync without a visitor", () => noVisitor.UncompleteOnboardingStepAsync("project", Ct), typeof(InvalidOperationException)),
            ("SetOnboardingMetadataAsync without a visitor", () => noVisitor.SetOnboardingMetadataAsync("project", null, Ct), typeof(InvalidOperationException)),
            ("ResetOnboardingAsync without a visitor", () => noVisitor.ResetOnboardingAsync(Ct), typeof(InvalidOperationException)),
            ("IdentifyAsync without a visitor", () => noVisitor.IdentifyAsync(new IdentifyRequest { ExternalId = "u1" }, Ct), typeof(InvalidOperationException)),
            ("ConnectRealtimeAsync without a visitor (public key)", () => noVisitor.ConnectRealtimeAsync(Ct), typeof(InvalidOperationException)),
            ("ReconnectRealtimeAsync without a visitor (public key)", () => noVisitor.ReconnectRealtimeAsync(Ct), typeof(InvalidOperationException)),

            // A cancelled token: nothing is sent.
            ("FetchWebsiteAsync with a cancelled token", () => visitor.FetchWebsiteAsync(cancelled.Token), typeof(OperationCanceledException)),
            ("FetchSupportStateAsync with a cancelled token", () => visitor.FetchSupportStateAsync(true, cancelled.Token), typeof(OperationCanceledException)),
            ("CompleteOnboardingStepAsync with a cancelled token", () => visitor.CompleteOnboardingStepAsync("project", cancelled.Token), typeof(OperationCanceledException)),
            ("ResetOnboardingAsync with a cancelled token", () => visitor.ResetOnboardingAsync(cancelled.Token), typeof(OperationCanceledException)),
            ("IdentifyAsync with a cancelled token", () => visitor.IdentifyAsync(new IdentifyRequest { ExternalId = "u1" }, cancelled.Token), typeof(OperationCanceledException)),
            ("GetVisitorSupportStateAsync with a cancelled token", () => api.GetVisitorSupportStateAsync(visitor.VisitorId!, cancelled.Token), typeof(OperationCanceledException)),
            ("MutateSupportFeatureFlagsAsync with a cancelled token", () => server.MutateSupportFeatureFlagsAsync(target, FeatureFlagOperation.Add, ["alpha"], cancelled.Token), typeof(OperationCanceledException)),

            // A disposed client.
            ("FetchWebsiteAsync on a disposed client", () => disposed.FetchWebsiteAsync(Ct), typeof(ObjectDisposedException)),
            ("FetchSupportStateAsync on a disposed client", () => disposed.FetchSupportStateAsync(true, Ct), typeof(ObjectDisposedException)),
            ("CompleteOnboardingStepAsync on a disposed client", () => disposed.CompleteOnboardingStepAsync("project", Ct), typeof(ObjectDisposedException)),
            ("IdentifyAsync on a disposed client", () => disposed.IdentifyAsync(new IdentifyRequest { ExternalId = "u1" }, Ct), typeof(ObjectDisposedException)),
            ("ConnectRealtimeAsync on a disposed client", () => disposed.ConnectRealtimeAsync(Ct), typeof(ObjectDisposedException)),
            ("SetWebsiteContextAsync on a disposed client", () => disposed.SetWebsiteContextAsync(emulator.DefaultWebsite.Id, ValidUlid), typeof(ObjectDisposedException)),
        };

        var failures = new List<string>();
        try
        {
            foreach (var (name, call, expected) in rows)
            {
                var before = emulator.Requests.Count;
                var error = await CaptureAsync(call);
                var sent = emulator.Requests.Count - before;
                var ok = error is not null && expected.IsInstanceOfType(error) && sent == 0;
                Out($"{(ok ? "ok  " : "FAIL")} {name}: {error?.GetType().Name ?? "no exception"}, {sent} request(s)");
                if (!ok)
                {
                    failures.Add($"{name}: {error?.GetType().Name ?? "no exception"}, {sent} request(s)");
                }
            }
        }
        finally
        {
            await server.DisposeAsync();
            await noVisitor.DisposeAsync();
        }

        Out($"misuse cases tried: {rows.Length}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static List<Row> ArgumentRows(CossistantEmulator emulator)
    {
        var website = emulator.DefaultWebsite.Id;
        var metadata = Json("""{"a":1}""");
        var target = new Func<Clients, FeatureFlagTarget>(c => FeatureFlagTarget.Visitor(c.Visitor.VisitorId!));
        var undeclaredTyped = new OnboardingStep<ProjectMetadata>("undeclared-typed", ReliabilityJsonContext.Default.ProjectMetadata);
        return
        [
            // Construction.
            new("new CossistantClient(null)", _ => new CossistantClient(null!), "options", typeof(ArgumentNullException)),
            new("new CossistantClient(null, httpClient)", _ => new CossistantClient(null!, new HttpClient()), "options", typeof(ArgumentNullException)),
            new("new CossistantClient(options without a key)", _ => new CossistantClient(new CossistantClientOptions()), "options"),
            new("new CossistantClient(a public key in PrivateApiKey)", _ => new CossistantClient(new CossistantClientOptions { PrivateApiKey = "pk_test_" + new string('a', 64) }), "options"),

            // SetWebsiteContext.
            new("SetWebsiteContext(null, visitor)", c => Void(() => c.Fresh.SetWebsiteContextAsync(null!, ValidUlid)), "websiteId"),
            new("SetWebsiteContext(\"\", visitor)", c => Void(() => c.Fresh.SetWebsiteContextAsync(string.Empty, ValidUlid)), "websiteId"),
            new("SetWebsiteContext(\"  \", visitor)", c => Void(() => c.Fresh.SetWebsiteContextAsync("  ", ValidUlid)), "websiteId"),
            new("SetWebsiteContext(site, \"\")", c => Void(() => c.Fresh.SetWebsiteContextAsync(website, string.Empty)), "visitorId"),
            new("SetWebsiteContext(site, \"not-a-ulid\")", c => Void(() => c.Fresh.SetWebsiteContextAsync(website, "not-a-ulid")), "visitorId"),
            new("SetWebsiteContext(site, lower-case ULID)", c => Void(() => c.Fresh.SetWebsiteContextAsync(website, ValidUlid.ToLowerInvariant())), "visitorId"),
            new("SetWebsiteContext(site, 27 characters)", c => Void(() => c.Fresh.SetWebsiteContextAsync(website, ValidUlid + "0")), "visitorId"),
            new("SetWebsiteContext(site, ULID with U)", c => Void(() => c.Fresh.SetWebsiteContextAsync(website, "01M89BS86B272X41E3XTDC4PRU")), "visitorId"),
            new("SetWebsiteContext(site, ULID over 7ZZ…)", c => Void(() => c.Fresh.SetWebsiteContextAsync(website, "81M89BS86B272X41E3XTDC4PR3")), "visitorId"),
            new("SetWebsiteContext(site, padded ULID)", c => Void(() => c.Fresh.SetWebsiteContextAsync(website, " " + ValidUlid)), "visitorId"),

            // GetVisitorSupportStateAsync.
            new("GetVisitorSupportStateAsync(null)", c => c.Api.GetVisitorSupportStateAsync(null!, Ct), "visitorId"),
            new("GetVisitorSupportStateAsync(\"\")", c => c.Api.GetVisitorSupportStateAsync(string.Empty, Ct), "visitorId"),
            new("GetVisitorSupportStateAsync(\"   \")", c => c.Api.GetVisitorSupportStateAsync("   ", Ct), "visitorId"),
            new("GetVisitorSupportStateAsync(lower-case ULID)", c => c.Api.GetVisitorSupportStateAsync(ValidUlid.ToLowerInvariant(), Ct), "visitorId"),
            new("GetVisitorSupportStateAsync(\"../websites\")", c => c.Api.GetVisitorSupportStateAsync("../websites", Ct), "visitorId"),
            new("GetVisitorSupportStateAsync(ULID with a newline)", c => c.Api.GetVisitorSupportStateAsync(ValidUlid[..25] + "\n", Ct), "visitorId"),

            // Flag checks.
            new("IsFeatureFlagEnabled((FeatureFlag)null)", c => c.Visitor.IsFeatureFlagEnabled((FeatureFlag)null!), "flag", typeof(ArgumentNullException)),
            new("IsFeatureFlagEnabled((string)null)", c => c.Visitor.IsFeatureFlagEnabled((string)null!), "flag", typeof(ArgumentNullException)),

            // Onboarding: typed steps.
            new("CompleteOnboardingStepAsync((OnboardingStep)null)", c => c.Visitor.CompleteOnboardingStepAsync((OnboardingStep)null!, Ct), "step", typeof(ArgumentNullException)),
            new("CompleteOnboardingStepAsync(undeclared step)", c => c.Visitor.CompleteOnboardingStepAsync(ReliabilitySupport.Undeclared, Ct), "step"),
            new("UncompleteOnboardingStepAsync((OnboardingStep)null)", c => c.Visitor.UncompleteOnboardingStepAsync((OnboardingStep)null!, Ct), "step", typeof(ArgumentNullException)),
            new("UncompleteOnboardingStepAsync(undeclared step)", c => c.Visitor.UncompleteOnboardingStepAsync(ReliabilitySupport.Undeclared, Ct), "step"),
            new("SetOnboardingMetadataAsync<T>(null step)", c => c.Visitor.SetOnboardingMetadataAsync((OnboardingStep<ProjectMetadata>)null!, new ProjectMetadata("x", 1), Ct), "step", typeof(ArgumentNullException)),
            new("SetOnboardingMetadataAsync<T>(undeclared step)", c => c.Visitor.SetOnboardingMetadataAsync(undeclaredTyped, new ProjectMetadata("x", 1), Ct), "step"),
            new("SetOnboardingMetadataAsync<int[]>(metadata serializes to an array)", c => c.Visitor.SetOnboardingMetadataAsync(ReliabilitySupport.Numbers, [1, 2], Ct), "metadata"),
            new("SetOnboardingMetadataAsync<string>(metadata serializes to a string)", c => c.Visitor.SetOnboardingMetadataAsync(ReliabilitySupport.Text, "text", Ct), "metadata"),

            // Onboarding: step ids.
            new("CompleteOnboardingStepAsync((string)null)", c => c.Visitor.CompleteOnboardingStepAsync((string)null!, Ct), "stepId", typeof(ArgumentNullException)),
            new("CompleteOnboardingStepAsync(\"\")", c => c.Visitor.CompleteOnboardingStepAsync(string.Empty, Ct), "stepId"),
            new("UncompleteOnboardingStepAsync((string)null)", c => c.Visitor.UncompleteOnboardingStepAsync((string)null!, Ct), "stepId", typeof(ArgumentNullException)),
            new("UncompleteOnboardingStepAsync(\"\")", c => c.Visitor.UncompleteOnboardingStepAsync(string.Empty, Ct), "stepId"),
            new("SetOnboardingMetadataAsync((string)null, {})", c => c.Visitor.SetOnboardingMetadataAsync((string)null!, metadata, Ct), "stepId", typeof(ArgumentNullException)),
            new("SetOnboardingMetadataAsync(\"\", {})", c => c.Visitor.SetOnboardingMetadataAsync(string.Empty, metadata, Ct), "stepId"),

            // Onboarding: metadata that is not an object.
            new("SetOnboardingMetadataAsync(step, [1])", c => c.Visitor.SetOnboardingMetadataAsync("project", Json("[1]"), Ct), "metadata"),
            new("SetOnboardingMetadataAsync(step, 42)", c => c.Visitor.SetOnboardingMetadataAsync("project", Json("42"), Ct), "metadata"),
            new("SetOnboardingMetadataAsync(step, \"s\")", c => c.Visitor.SetOnboardingMetadataAsync("project", Json("\"s\""), Ct), "metadata"),
            new("SetOnboardingMetadataAsync(step, true)", c => c.Visitor.SetOnboardingMetadataAsync("project", Json("true"), Ct), "metadata"),
            new("UpdateOnboardingAsync(null)", c => c.Visitor.UpdateOnboardingAsync(null!, Ct), "update", typeof(ArgumentNullException)),
            new("OnboardingUpdate.ForStep(step, completed: null) (nothing to change)", _ => OnboardingUpdate.ForStep("project", null), "completed"),
            new("OnboardingUpdate.ForStep(step, hasMetadata: false, metadata)", _ => OnboardingUpdate.ForStep("project", true, false, metadata), "metadata"),

            // Flag mutations (private key).
            new("MutateSupportFeatureFlagsAsync(null target)", c => c.Server.MutateSupportFeatureFlagsAsync(null!, FeatureFlagOperation.Add, ["alpha"], Ct), "target", typeof(ArgumentNullException)),
            new("MutateSupportFeatureFlagsAsync((IEnumerable<string>)null)", c => c.Server.MutateSupportFeatureFlagsAsync(target(c), FeatureFlagOperation.Add, (IEnumerable<string>)null!, Ct), "flags", typeof(ArgumentNullException)),
            new("MutateSupportFeatureFlagsAsync((IEnumerable<FeatureFlag>)null)", c => c.Server.MutateSupportFeatureFlagsAsync(target(c), FeatureFlagOperation.Add, (IEnumerable<FeatureFlag>)null!, Ct), "flags", typeof(ArgumentNullException)),
            new("MutateSupportFeatureFlagsAsync(undefined operation 99)", c => c.Server.MutateSupportFeatureFlagsAsync(target(c), (FeatureFlagOperation)99, ["alpha"], Ct), "operation", typeof(ArgumentOutOfRangeException)),
            new("MutateSupportFeatureFlagsAsync(undefined operation -1)", c => c.Server.MutateSupportFeatureFlagsAsync(target(c), (FeatureFlagOperation)(-1), ["alpha"], Ct), "operation", typeof(ArgumentOutOfRangeException)),
            new("MutateSupportFeatureFlagsAsync([\"a,b\"])", c => c.Server.MutateSupportFeatureFlagsAsync(target(c), FeatureFlagOperation.Add, ["a,b"], Ct), "flags"),
            new("MutateSupportFeatureFlagsAsync([\"ok\", \",\"])", c => c.Server.MutateSupportFeatureFlagsAsync(target(c), FeatureFlagOperation.Set, ["ok", ","], Ct), "flags"),
            new("MutateSupportFeatureFlagsAsync([\"\"])", c => c.Server.MutateSupportFeatureFlagsAsync(target(c), FeatureFlagOperation.Add, [string.Empty], Ct), "flags"),
            new("MutateSupportFeatureFlagsAsync([\"   \"])", c => c.Server.MutateSupportFeatureFlagsAsync(target(c), FeatureFlagOperation.Remove, ["   "], Ct), "flags"),
            new("MutateSupportFeatureFlagsAsync([\"\\uFEFF\"]) (JavaScript whitespace)", c => c.Server.MutateSupportFeatureFlagsAsync(target(c), FeatureFlagOperation.Add, ["\uFEFF"], Ct), "flags"),
            new("MutateSupportFeatureFlagsAsync([null])", c => c.Server.MutateSupportFeatureFlagsAsync(target(c), FeatureFlagOperation.Add, new string[] { null! }, Ct), "flags"),
            new("MutateSupportFeatureFlagsAsync(typed [null])", c => c.Server.MutateSupportFeatureFlagsAsync(target(c), FeatureFlagOperation.Add, new FeatureFlag[] { null! }, Ct), "flags"),

            // Flag targets.
            new("new FeatureFlagTarget(undefined type 42, id)", _ => new FeatureFlagTarget((FeatureFlagTargetType)42, "x"), "type", typeof(ArgumentOutOfRangeException)),
            new("FeatureFlagTarget.Visitor(null)", _ => FeatureFlagTarget.Visitor(null!), "id", typeof(ArgumentNullException)),
            new("FeatureFlagTarget.Visitor(\"\")", _ => FeatureFlagTarget.Visitor(string.Empty), "id"),
            new("FeatureFlagTarget.Contact(\"  \")", _ => FeatureFlagTarget.Contact("  "), "id"),
            new("FeatureFlagTarget.ContactOrganization(\"\\t\")", _ => FeatureFlagTarget.ContactOrganization("\t"), "id"),

            // Identify.
            new("IdentifyAsync(null)", c => c.Visitor.IdentifyAsync(null!, Ct), "request", typeof(ArgumentNullException)),
            new("IdentifyAsync(no externalId, no email)", c => c.Visitor.IdentifyAsync(new IdentifyRequest { Name = "Ada" }, Ct), "request"),
            new("IdentifyAsync(whitespace externalId)", c => c.Visitor.IdentifyAsync(new IdentifyRequest { ExternalId = "  " }, Ct), "request"),
            new("IdentifyAsync(empty email)", c => c.Visitor.IdentifyAsync(new IdentifyRequest { Email = string.Empty }, Ct), "request"),
            new("IdentifyAsync(another visitor id)", c => c.Visitor.IdentifyAsync(new IdentifyRequest { ExternalId = "u1", VisitorId = ValidUlid }, Ct), "request"),

            // The app's declarations.
            new("new FeatureFlag(\"a,b\")", _ => new FeatureFlag("a,b"), "name", typeof(SupportConfigException)),
            new("new FeatureFlag(\"  \")", _ => new FeatureFlag("  "), "name", typeof(SupportConfigException)),
            new("new OnboardingStep(\"  \")", _ => new OnboardingStep("  "), "id", typeof(SupportConfigException)),
            new("SupportConfig.Create(duplicate flags)", _ => SupportConfig.Create([new FeatureFlag("dup"), new FeatureFlag("dup")]), "featureFlags", typeof(SupportConfigException)),
            new("SupportConfig.Create(null)", _ => SupportConfig.Create(null!), "featureFlags", typeof(ArgumentNullException)),
            new("new FileVisitorIdStore(\" \")", _ => new FileVisitorIdStore(" "), "path"),
            new("InMemoryVisitorIdStore.SetVisitorIdAsync(\"\")", _ => new InMemoryVisitorIdStore().SetVisitorIdAsync(string.Empty, Ct).AsTask(), "visitorId"),
        ];
    }

    private static object? Void(Action action)
    {
        action();
        return null;
    }

    /// <summary>Runs a call (sync or async) and returns what it threw, or null.</summary>
    private static async Task<Exception?> CaptureAsync(Func<object?> call)
    {
        try
        {
            switch (call())
            {
                case Task task:
                    await task;
                    break;
                case ValueTask valueTask:
                    await valueTask;
                    break;
                case IAsyncDisposable disposable:
                    await disposable.DisposeAsync();
                    break;
            }

            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }
}
