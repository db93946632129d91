using System.Text.Json;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>Status codes and body shapes of protocol §2–§7 and traces 03, 04 and 10, with raw requests.</summary>
public sealed class EmulatorProtocolTests
{
    private const string UnknownVisitorId = "01M89BSQ4XFT46H109QXZFWEMJ";

    public static TheoryData<string> RejectedOnboardingBodies()
    {
        var data = new TheoryData<string>();
        foreach (var item in Vectors("onboardingUpdateRejectedByServer").EnumerateArray())
        {
            data.Add(item.GetProperty("body").GetRawText());
        }

        return data;
    }

    [Fact]
    public async Task GetSupportState_WithoutVisitorId_Returns400VisitorIdRequired()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        var response = await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), VisitorHeaders(emulator));

        Assert.Equal(400, response.Status);
        Assert.Equal("application/json", response.ContentType);
        AssertJsonEqual("""{"error":"BAD_REQUEST","message":"Visitor ID is required"}""", response.Body);
    }

    [Fact]
    public async Task GetSupportState_UnknownOrLowerCasedVisitorId_Returns404VisitorNotFound()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        foreach (var id in new[] { UnknownVisitorId, visitorId.ToLowerInvariant() })
        {
            var response = await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), VisitorHeaders(emulator, id));
            Assert.Equal(404, response.Status);
            AssertJsonEqual("""{"error":"NOT_FOUND","message":"Visitor not found"}""", response.Body);
        }

        var ok = await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), VisitorHeaders(emulator, visitorId));
        Assert.Equal(200, ok.Status);
    }

    [Theory]
    [MemberData(nameof(RejectedOnboardingBodies))]
    public async Task PatchOnboarding_BodyRejectedByServerVector_Returns400ZodErrorAndChangesNothing(string body)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        var response = await SendAsync(HttpMethod.Patch, Api(emulator, "/support/onboarding"), VisitorHeaders(emulator, visitorId), body);

        AssertZodError(response);
        Assert.Null(emulator.GetStoredOnboarding(FeatureFlagTargetType.Visitor, visitorId));
    }

    [Fact]
    public async Task PatchOnboarding_StepIdOnly_ZodIssueNamesTheRule()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        var response = await SendAsync(HttpMethod.Patch, Api(emulator, "/support/onboarding"), VisitorHeaders(emulator, visitorId), """{"stepId":"x"}""");

        var issues = AssertZodError(response);
        Assert.Contains(issues, issue => issue!["message"]!.GetValue<string>() == "Provide reset: true or a stepId with completed and/or metadata.");
    }

    [Fact]
    public async Task PatchOnboarding_MalformedJson_Returns400MalformedJsonText()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        var response = await SendAsync(HttpMethod.Patch, Api(emulator, "/support/onboarding"), VisitorHeaders(emulator, visitorId), """{"stepId":""");

        Assert.Equal(400, response.Status);
        Assert.Equal("Malformed JSON in request body", response.Body);
    }

    [Fact]
    public async Task PatchOnboarding_ValidBodies_AnswerFullStateWithReplaceNeverMergeRule()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        var url = Api(emulator, "/support/onboarding");
        var headers = VisitorHeaders(emulator, visitorId);

        await SendAsync(HttpMethod.Patch, url, headers, """{"stepId":"workspace","metadata":{"workspaceName":"Acme","seats":3}}""");
        var replaced = await SendAsync(HttpMethod.Patch, url, headers, """{"stepId":"workspace","completed":true,"metadata":{"other":1}}""");
        var kept = await SendAsync(HttpMethod.Patch, url, headers, """{"stepId":"invite-team","completed":false,"bogus":1}""");
        var reset = await SendAsync(HttpMethod.Patch, url, headers, """{"reset":true,"stepId":"workspace","completed":true}""");

        AssertJsonEqual("""{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":{"other":1}}}}}""", replaced.Body);
        AssertJsonEqual(
            """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":{"other":1}},"invite-team":{"completed":false,"metadata":null}}}}""",
            kept.Body);
        Assert.Equal(200, reset.Status);
        AssertJsonEqual("""{"featureFlags":[],"onboarding":{"steps":{}}}""", reset.Body);
    }

    [Fact]
    public async Task PatchOnboarding_WithoutJsonContentType_ValidBodyAppliesAndInvalidBodyIsBareText()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        var url = Api(emulator, "/support/onboarding");

        // Trace 03: the server only runs body validation with a JSON content type.
        var valid = await SendAsync(HttpMethod.Patch, url, VisitorHeaders(emulator, visitorId), """{"stepId":"no-ctype","completed":true}""", contentType: null);
        var plain = await SendAsync(HttpMethod.Patch, url, VisitorHeaders(emulator, visitorId), """{"stepId":"text-plain","completed":true}""", "text/plain");
        var invalid = await SendAsync(HttpMethod.Patch, url, VisitorHeaders(emulator, visitorId), """{"stepId":"x"}""", contentType: null);

        Assert.Equal(200, valid.Status);
        Assert.Equal(200, plain.Status);
        Assert.Equal(400, invalid.Status);
        Assert.Equal("Request validation failed", invalid.Body);
        var stored = emulator.GetStoredOnboarding(FeatureFlagTargetType.Visitor, visitorId)!;
        Assert.True(stored.TryGetStep("no-ctype", out _));
        Assert.True(stored.TryGetStep("text-plain", out _));
        Assert.False(stored.TryGetStep("x", out _));
    }

    [Theory]
    [InlineData("bad,flag", "Feature flag names cannot contain commas.")]
    [InlineData("   ", "Feature flag names must be non-empty strings.")]
    [InlineData("", "Feature flag names must be non-empty strings.")]
    public async Task PatchFeatureFlags_InvalidFlagName_Returns400ZodErrorWithServerMessage(string flag, string message)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        var response = await SendAsync(
            HttpMethod.Patch, Api(emulator, "/support/feature-flags"), PrivateHeaders(emulator),
            $$"""{"target":{"type":"visitor","id":"{{visitorId}}"},"operation":"add","flags":["ok",{{JsonSerializer.Serialize(flag)}}]}""");

        var issues = AssertZodError(response);
        Assert.Contains(message, response.Body, StringComparison.Ordinal);
        var issue = Assert.Single(issues);
        Assert.Equal(message, issue!["message"]!.GetValue<string>());
        Assert.Equal("""["flags",1]""", issue["path"]!.ToJsonString());
        Assert.Empty(emulator.GetOwnFeatureFlags(FeatureFlagTarget.Visitor(visitorId)));
    }

    [Theory]
    [InlineData("visitor", "01M89BS7KM4V1Q9AHKD2C4DT3S")]
    [InlineData("contact", "01M89BS7KV56PPNJWWECFXG04N")]
    [InlineData("contactOrganization", "01M89BS7M6BV8REMRMDFF7Q2E3")]
    public async Task PatchFeatureFlags_UnknownTarget_Returns404TargetNotFound(string type, string id)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        var response = await SendAsync(
            HttpMethod.Patch, Api(emulator, "/support/feature-flags"), PrivateHeaders(emulator),
            $$"""{"target":{"type":"{{type}}","id":"{{id}}"},"operation":"add","flags":["x"]}""");

        Assert.Equal(404, response.Status);
        AssertJsonEqual("""{"error":"NOT_FOUND","message":"Target not found"}""", response.Body);
    }

    [Fact]
    public async Task PatchFeatureFlags_TargetOfAnotherWebsite_Returns404TargetNotFound()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var other = emulator.CreateWebsite("Other", "other.test");
        var foreignVisitor = emulator.CreateVisitor(other.Id);

        var response = await SendAsync(
            HttpMethod.Patch, Api(emulator, "/support/feature-flags"), PrivateHeaders(emulator),
            $$"""{"target":{"type":"visitor","id":"{{foreignVisitor}}"},"operation":"add","flags":["x"]}""");

        Assert.Equal(404, response.Status);
        Assert.Empty(emulator.GetOwnFeatureFlags(FeatureFlagTarget.Visitor(foreignVisitor)));
    }

    [Fact]
    public async Task PatchFeatureFlags_AddRemoveSet_AnswersTargetsOwnNormalizedSortedFlags()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        var url = Api(emulator, "/support/feature-flags");

        async Task<string> MutateAsync(string operation, string flags)
        {
            var response = await SendAsync(
                HttpMethod.Patch, url, PrivateHeaders(emulator),
                $$"""{"target":{"type":"visitor","id":"{{visitorId}}"},"operation":"{{operation}}","flags":{{flags}}}""");
            Assert.Equal(200, response.Status);
            return response.Body;
        }

        var target = $$"""{"type":"visitor","id":"{{visitorId}}"}""";
        AssertJsonEqual($$"""{"target":{{target}},"flags":["beta","new-message"]}""", await MutateAsync("add", """["beta"," new-message ","beta"]"""));
        AssertJsonEqual($$"""{"target":{{target}},"flags":["Alpha","beta","new-message","zeta"]}""", await MutateAsync("add", """["zeta","Alpha"]"""));
        AssertJsonEqual($$"""{"target":{{target}},"flags":["Alpha","new-message","zeta"]}""", await MutateAsync("remove", """["beta","not-there"]"""));
        AssertJsonEqual($$"""{"target":{{target}},"flags":["alpha","gamma"]}""", await MutateAsync("set", """["gamma","alpha"]"""));
        AssertJsonEqual($$"""{"target":{{target}},"flags":["alpha","gamma"]}""", await MutateAsync("add", "[]"));
        AssertJsonEqual($$"""{"target":{{target}},"flags":[]}""", await MutateAsync("set", "[]"));
    }

    [Fact]
    public async Task Identify_BodyVisitorIdDiffersFromHeader_Returns400Mismatch()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var v2 = emulator.CreateVisitor();
        var v3 = emulator.CreateVisitor();

        var response = await SendAsync(
            HttpMethod.Post, Api(emulator, "/contacts/identify"), VisitorHeaders(emulator, v2), $$"""{"visitorId":"{{v3}}","externalId":"ext-1"}""");

        Assert.Equal(400, response.Status);
        AssertJsonEqual("""{"error":"BAD_REQUEST","message":"Visitor ID mismatch between request and X-Visitor-Id header"}""", response.Body);
    }

    [Theory]
    [InlineData("""{"name":"No Id"}""")]
    [InlineData("""{"externalId":"   ","email":""}""")]
    public async Task Identify_NeitherExternalIdNorEmail_Returns400EitherRequired(string fields)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        var body = $$"""{"visitorId":"{{visitorId}}",""" + fields[1..];

        var response = await SendAsync(HttpMethod.Post, Api(emulator, "/contacts/identify"), VisitorHeaders(emulator, visitorId), body);

        Assert.Equal(400, response.Status);
        AssertJsonEqual("""{"error":"BAD_REQUEST","message":"Either externalId or email is required"}""", response.Body);
    }

    [Fact]
    public async Task Identify_UnknownVisitor_Returns400VisitorNotFoundPleasePassValidId()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        var response = await SendAsync(
            HttpMethod.Post, Api(emulator, "/contacts/identify"), VisitorHeaders(emulator, UnknownVisitorId), """{"externalId":"ext-1"}""");

        Assert.Equal(400, response.Status);
        AssertJsonEqual("""{"error":"BAD_REQUEST","message":"Visitor not found, please pass a valid visitorId"}""", response.Body);
    }

    [Fact]
    public async Task Identify_Success_Returns200ContactAndVisitorId()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        var response = await SendAsync(
            HttpMethod.Post, Api(emulator, "/contacts/identify"), VisitorHeaders(emulator, visitorId),
            $$"""{"visitorId":"{{visitorId}}","externalId":"ext-1","email":"alice@example.test","name":"Alice"}""");

        Assert.Equal(200, response.Status);
        using var document = JsonDocument.Parse(response.Body);
        var root = document.RootElement;
        Assert.Equal(visitorId, root.GetProperty("visitorId").GetString());
        var contact = root.GetProperty("contact");
        Assert.Equal(26, contact.GetProperty("id").GetString()!.Length);
        Assert.Equal("ext-1", contact.GetProperty("externalId").GetString());
        Assert.Equal("alice@example.test", contact.GetProperty("email").GetString());
        Assert.Equal("Alice", contact.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("not-a-ulid")]
    [InlineData("")]
    public async Task GetWebsites_InvalidVisitorIdHeader_Returns400(string header)
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var headers = VisitorHeaders(emulator);
        headers.Add(new("X-Visitor-Id", header));

        var response = await SendAsync(HttpMethod.Get, Api(emulator, "/websites"), headers);

        Assert.Equal(400, response.Status);
        Assert.Equal("Response validation failed", response.Body);
    }

    [Fact]
    public async Task GetWebsites_IdentifiedVisitor_VisitorContactIsTheLinkedContact()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        await using var client = await NewVisitorAsync(emulator);
        var identified = await client.IdentifyAsync(new IdentifyRequest { ExternalId = "ext-1", Email = "alice@example.test", Name = "Alice" }, Ct);

        // Protocol §2: visitor.contact is null or {id, name, email, image}: a refresh must not forget the contact.
        var website = await client.FetchWebsiteAsync(Ct);

        Assert.NotNull(website.Visitor?.Contact);
        Assert.Equal(identified.Contact.Id, website.Visitor.Contact.Id);
        Assert.Equal("alice@example.test", website.Visitor.Contact.Email);
        Assert.Equal("Alice", website.Visitor.Contact.Name);
    }

    [Fact]
    public async Task GetWebsites_KnownVisitorIdHeader_KeepsTheVisitor()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();

        var response = await SendAsync(HttpMethod.Get, Api(emulator, "/websites"), VisitorHeaders(emulator, visitorId));

        Assert.Equal(200, response.Status);
        using var document = JsonDocument.Parse(response.Body);
        Assert.Equal(visitorId, document.RootElement.GetProperty("visitor").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("visitor").GetProperty("contact").ValueKind);
    }

    [Fact]
    public async Task EveryV1Response_SuccessAndEveryErrorKind_CarriesRateLimitHeaders()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var visitorId = emulator.CreateVisitor();
        var responses = new List<(string What, RawResponse Response)>
        {
            ("200 websites", await SendAsync(HttpMethod.Get, Api(emulator, "/websites"), VisitorHeaders(emulator))),
            ("200 state", await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), VisitorHeaders(emulator, visitorId))),
            ("200 onboarding", await SendAsync(HttpMethod.Patch, Api(emulator, "/support/onboarding"), VisitorHeaders(emulator, visitorId), """{"reset":true}""")),
            ("400 state", await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), VisitorHeaders(emulator))),
            ("400 zod", await SendAsync(HttpMethod.Patch, Api(emulator, "/support/onboarding"), VisitorHeaders(emulator, visitorId), "{}")),
            ("400 malformed", await SendAsync(HttpMethod.Patch, Api(emulator, "/support/onboarding"), VisitorHeaders(emulator, visitorId), "{")),
            ("401", await SendAsync(HttpMethod.Get, Api(emulator, "/websites"))),
            ("403", await SendAsync(HttpMethod.Get, Api(emulator, "/websites"), [new("X-Public-Key", emulator.DefaultWebsite.PublicKey)])),
            ("404 visitor", await SendAsync(HttpMethod.Get, Api(emulator, "/support/state"), VisitorHeaders(emulator, UnknownVisitorId))),
            ("404 target", await SendAsync(HttpMethod.Patch, Api(emulator, "/support/feature-flags"), PrivateHeaders(emulator),
                $$"""{"target":{"type":"contact","id":"{{UnknownVisitorId}}"},"operation":"add","flags":["x"]}""")),
        };

        foreach (var (what, response) in responses)
        {
            Assert.True(response.Header("RateLimit-Limit") is { Length: > 0 }, what + " lacks RateLimit-Limit");
            Assert.True(response.Header("RateLimit-Policy") is { Length: > 0 }, what + " lacks RateLimit-Policy");
            Assert.True(response.Header("RateLimit-Remaining") is { Length: > 0 }, what + " lacks RateLimit-Remaining");
            Assert.True(response.Header("RateLimit-Reset") is { Length: > 0 }, what + " lacks RateLimit-Reset");
        }

        Assert.Equal([200, 200, 200, 400, 400, 400, 401, 403, 404, 404], responses.Select(r => r.Response.Status));
    }
}
