using System.Text.Json;
using System.Text.Json.Serialization;
using Cossistant.Client.Protocol;

namespace Cossistant.Client.Tests.Protocol;

/// <summary>
/// The wire shapes (protocol.md §2-§5, §7) through the source-generated <see cref="CossistantJsonContext"/>,
/// which is what the client uses at run time.
/// </summary>
public sealed class JsonContractTests
{
    /// <summary>The protocol §3 example body of <c>GET /support/state</c>.</summary>
    private const string SupportStateExample = """
        { "featureFlags": ["billing-v2", "new-message"],
          "onboarding": { "steps": {
              "workspace":   { "completed": true,  "metadata": { "workspaceName": "Acme" } },
              "invite-team": { "completed": false, "metadata": null } } } }
        """;

    /// <summary>The <c>GET /v1/websites</c> 200 body recorded in <c>traces/03-onboarding.txt</c>, verbatim.</summary>
    private const string WebsiteTraceBody =
        """{"id":"01M89BBY28DNGS7RTEYF8WAPAT","name":"Trace Site","domain":"example.test","description":null,"logoUrl":null,"organizationId":"01M89BBY28ETVB4CZKJQJ1GTPS","defaultLanguage":"en","status":"active","lastOnlineAt":"2026-11-25T12:41:13.874Z","availableHumanAgents":[{"id":"01M89BBY28FS88P6QDYGP133W9","name":"Trace Owner","email":"owner@example.test","image":null,"lastSeenAt":"2026-11-25T12:41:13.874Z"}],"availableAIAgents":[],"visitor":{"id":"01M89BS72ZMXQ64JP8K5N8PPSF","isBlocked":false,"language":null,"contact":null}}""";

    public static TheoryData<string> UpdateBodies =>
    [
        """{"stepId":"workspace","completed":true}""",
        """{"stepId":"workspace","completed":false}""",
        """{"stepId":"invite-team","metadata":{"invitedEmails":["a@acme.com"]}}""",
        """{"stepId":"workspace","metadata":null}""",
        """{"reset":true}""",
        """{"stepId":"invite-team","completed":true,"metadata":{"invitedEmails":["a@acme.com"]}}""",
    ];

    // ---- OnboardingUpdate: writing -------------------------------------------------------------------

    [Fact]
    public void SerializeOnboardingUpdate_Complete_WritesStepIdAndCompletedTrue()
    {
        Assert.Equal("""{"stepId":"workspace","completed":true}""", Write(OnboardingUpdate.Complete("workspace")));
    }

    [Fact]
    public void SerializeOnboardingUpdate_Uncomplete_WritesStepIdAndCompletedFalse()
    {
        Assert.Equal("""{"stepId":"workspace","completed":false}""", Write(OnboardingUpdate.Uncomplete("workspace")));
    }

    [Fact]
    public void SerializeOnboardingUpdate_SetMetadataObject_WritesMetadataWithoutCompleted()
    {
        var update = OnboardingUpdate.SetMetadata("invite-team", Parse("""{"invitedEmails":["a@acme.com"]}"""));
        Assert.Equal("""{"stepId":"invite-team","metadata":{"invitedEmails":["a@acme.com"]}}""", Write(update));
    }

    [Fact]
    public void SerializeOnboardingUpdate_SetMetadataNull_WritesExplicitNull()
    {
        Assert.Equal("""{"stepId":"workspace","metadata":null}""", Write(OnboardingUpdate.SetMetadata("workspace", null)));
    }

    [Fact]
    public void SerializeOnboardingUpdate_Reset_WritesResetTrueOnly()
    {
        Assert.Equal("""{"reset":true}""", Write(OnboardingUpdate.Reset()));
    }

    [Fact]
    public void SerializeOnboardingUpdate_ForStepWithCompletedAndMetadata_WritesBothKeys()
    {
        var update = OnboardingUpdate.ForStep("invite-team", true, hasMetadata: true, Parse("""{"invitedEmails":["a@acme.com"]}"""));
        Assert.Equal(
            """{"stepId":"invite-team","completed":true,"metadata":{"invitedEmails":["a@acme.com"]}}""",
            Write(update));
    }

    [Fact]
    public void SerializeOnboardingUpdate_ForStepCompletedWithoutMetadata_OmitsMetadataKey()
    {
        Assert.Equal(
            """{"stepId":"workspace","completed":true}""",
            Write(OnboardingUpdate.ForStep("workspace", completed: true, hasMetadata: false)));
    }

    [Fact]
    public void ToString_OnboardingUpdate_IsTheRequestBody()
    {
        Assert.Equal("""{"stepId":"workspace","metadata":null}""", OnboardingUpdate.SetMetadata("workspace", null).ToString());
    }

    // ---- OnboardingUpdate: reading -------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(UpdateBodies))]
    public void DeserializeOnboardingUpdate_EveryBodyShape_RoundTripsExactly(string body)
    {
        Assert.Equal(body, Write(ReadUpdate(body)));
    }

    [Fact]
    public void DeserializeOnboardingUpdate_EveryBodyShape_EqualsFactoryUpdate()
    {
        var metadata = Parse("""{"invitedEmails":["a@acme.com"]}""");
        Assert.Equal(OnboardingUpdate.Complete("workspace"), ReadUpdate("""{"stepId":"workspace","completed":true}"""));
        Assert.Equal(OnboardingUpdate.Uncomplete("workspace"), ReadUpdate("""{"stepId":"workspace","completed":false}"""));
        Assert.Equal(
            OnboardingUpdate.SetMetadata("invite-team", metadata),
            ReadUpdate("""{"stepId":"invite-team","metadata":{"invitedEmails":["a@acme.com"]}}"""));
        Assert.Equal(OnboardingUpdate.SetMetadata("workspace", null), ReadUpdate("""{"stepId":"workspace","metadata":null}"""));
        Assert.Equal(OnboardingUpdate.Reset(), ReadUpdate("""{"reset":true}"""));
        Assert.NotEqual(OnboardingUpdate.Complete("workspace"), ReadUpdate("""{"stepId":"workspace","completed":false}"""));
    }

    [Fact]
    public void DeserializeOnboardingUpdate_MetadataNull_HasMetadataWithNullValue()
    {
        var update = ReadUpdate("""{"stepId":"workspace","metadata":null}""");
        Assert.Equal("workspace", update.StepId);
        Assert.True(update.HasMetadata);
        Assert.Null(update.Metadata);
        Assert.Null(update.Completed);
        Assert.False(update.IsReset);
    }

    [Fact]
    public void DeserializeOnboardingUpdate_MetadataAbsent_HasNoMetadata()
    {
        var update = ReadUpdate("""{"stepId":"workspace","completed":true}""");
        Assert.False(update.HasMetadata);
        Assert.Null(update.Metadata);
        Assert.Equal(true, update.Completed);
    }

    [Fact]
    public void DeserializeOnboardingUpdate_MetadataNullVersusAbsent_AreDifferentUpdates()
    {
        var clear = ReadUpdate("""{"stepId":"w","completed":true,"metadata":null}""");
        var keep = ReadUpdate("""{"stepId":"w","completed":true}""");
        Assert.NotEqual(clear, keep);

        var start = OnboardingState.Create([new("w", new OnboardingStepState(false, Parse("""{"k":1}""")))]);
        Assert.True(start.Apply(clear).TryGetStep("w", out var cleared));
        Assert.Null(cleared.Metadata);
        Assert.True(start.Apply(keep).TryGetStep("w", out var kept));
        Assert.NotNull(kept.Metadata);
    }

    [Theory]
    [InlineData("""{"stepId":"w","completed":true,"bogus":1}""")]
    [InlineData("""{"bogus":{"nested":[1,{"stepId":"x"}]},"stepId":"w","completed":true}""")]
    [InlineData("""{"stepId":"w","extra":[true,null,"s"],"completed":true,"more":null}""")]
    public void DeserializeOnboardingUpdate_UnknownKeys_AreIgnored(string body)
    {
        Assert.Equal(OnboardingUpdate.Complete("w"), ReadUpdate(body));
    }

    [Fact]
    public void DeserializeOnboardingUpdate_ResetTrueWithOtherFields_IsReset()
    {
        var update = ReadUpdate("""{"stepId":"w","completed":true,"reset":true}""");
        Assert.True(update.IsReset);
        Assert.Null(update.StepId);
    }

    [Theory]
    [InlineData("""{"stepId":"x","completed":"true"}""")]
    [InlineData("""{"stepId":"x","metadata":"str"}""")]
    [InlineData("""{"stepId":1,"completed":true}""")]
    [InlineData("""{"stepId":"x","metadata":["a"]}""")]
    [InlineData("""{"stepId":"x"}""")]
    [InlineData("""{"stepId":"","completed":true}""")]
    [InlineData("""{"reset":false}""")]
    [InlineData("""{"completed":true}""")]
    [InlineData("[]")]
    public void DeserializeOnboardingUpdate_InvalidBody_ThrowsJsonException(string body)
    {
        Assert.ThrowsAny<JsonException>(() => ReadUpdate(body));
    }

    // ---- SupportState --------------------------------------------------------------------------------

    [Fact]
    public void DeserializeSupportState_ProtocolExample_ReadsFlagsAndSteps()
    {
        var state = ReadState(SupportStateExample);

        Assert.Equal(["billing-v2", "new-message"], state.FeatureFlags.ToArray());
        Assert.True(state.IsFeatureFlagEnabled("new-message"));
        Assert.False(state.IsFeatureFlagEnabled("New-Message"));
        Assert.Equal(2, state.Onboarding.Count);
        Assert.True(state.Onboarding.TryGetStep("workspace", out var workspace));
        Assert.True(workspace.Completed);
        Assert.Equal("Acme", workspace.Metadata!.Value.GetProperty("workspaceName").GetString());
        Assert.True(state.Onboarding.TryGetStep("invite-team", out var inviteTeam));
        Assert.False(inviteTeam.Completed);
        Assert.Null(inviteTeam.Metadata);
    }

    [Fact]
    public void DeserializeSupportState_UnnormalizedFlags_AreNormalized()
    {
        var state = ReadState("""{"featureFlags":[" beta ","beta","Alpha"],"onboarding":{"steps":{}}}""");
        Assert.Equal(["Alpha", "beta"], state.FeatureFlags.ToArray());
    }

    [Fact]
    public void DeserializeSupportState_FlagsNeedingJsTrim_AreNormalizedLikeTheServer()
    {
        var state = ReadState("""{"featureFlags":["\uFEFFbeta","\u0085beta","bad,flag","","  "]}""");
        Assert.Equal(["beta", "\u0085beta"], state.FeatureFlags.ToArray());
    }

    [Fact]
    public void DeserializeSupportState_UnknownFieldsAtEveryLevel_AreIgnored()
    {
        var body = """
            { "version": 3, "extra": { "featureFlags": ["nope"] },
              "featureFlags": ["billing-v2", "new-message"],
              "onboarding": { "updatedAt": "2026-01-01", "steps": {
                  "workspace":   { "completed": true, "metadata": { "workspaceName": "Acme" }, "completedAt": 1 },
                  "invite-team": { "metadata": null, "completed": false, "x": [1, 2] } }, "more": null },
              "trailing": [ { "onboarding": null } ] }
            """;
        Assert.Equal(ReadState(SupportStateExample), ReadState(body));
    }

    [Fact]
    public void DeserializeSupportState_FeatureFlagsNull_GivesNoFlags()
    {
        var state = ReadState("""{"featureFlags":null,"onboarding":{"steps":{"a":{"completed":true,"metadata":null}}}}""");
        Assert.Empty(state.FeatureFlags);
        Assert.Equal(1, state.Onboarding.Count);
    }

    [Fact]
    public void DeserializeSupportState_OnboardingMissing_GivesEmptyOnboarding()
    {
        var state = ReadState("""{"featureFlags":["beta"]}""");
        Assert.Equal(["beta"], state.FeatureFlags.ToArray());
        Assert.Equal(OnboardingState.Empty, state.Onboarding);
    }

    [Fact]
    public void DeserializeSupportState_OnboardingNull_GivesEmptyOnboarding()
    {
        var state = ReadState("""{"featureFlags":[],"onboarding":null}""");
        Assert.Equal(SupportState.Empty, state);
    }

    [Fact]
    public void DeserializeSupportState_NonStringFlags_AreDropped()
    {
        var state = ReadState("""{"featureFlags":["b",1,null,true,{"x":"c"},["d"],"a"]}""");
        Assert.Equal(["a", "b"], state.FeatureFlags.ToArray());
    }

    [Theory]
    [InlineData("""{"featureFlags":"x"}""")]
    [InlineData("""{"featureFlags":{"beta":true}}""")]
    [InlineData("""{"featureFlags":1}""")]
    [InlineData("""["beta"]""")]
    public void DeserializeSupportState_InvalidShape_ThrowsJsonException(string body)
    {
        Assert.ThrowsAny<JsonException>(() => ReadState(body));
    }

    [Fact]
    public void SerializeSupportState_StateWithSteps_WritesServerShapeWithExplicitNullMetadata()
    {
        var state = new SupportState(
            ["new-message", " billing-v2 "],
            OnboardingState.Create(
            [
                new("workspace", new OnboardingStepState(true, Parse("""{"workspaceName":"Acme"}"""))),
                new("invite-team", new OnboardingStepState(false, null)),
            ]));

        Assert.Equal(
            """{"featureFlags":["billing-v2","new-message"],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":{"workspaceName":"Acme"}},"invite-team":{"completed":false,"metadata":null}}}}""",
            JsonSerializer.Serialize(state, CossistantJsonContext.Default.SupportState));
    }

    [Fact]
    public void SerializeSupportState_Empty_WritesEmptyArrayAndSteps()
    {
        Assert.Equal(
            """{"featureFlags":[],"onboarding":{"steps":{}}}""",
            JsonSerializer.Serialize(SupportState.Empty, CossistantJsonContext.Default.SupportState));
    }

    [Fact]
    public void SerializeSupportState_ProtocolExample_WriteThenReadRoundTrips()
    {
        var state = ReadState(SupportStateExample);
        var json = JsonSerializer.Serialize(state, CossistantJsonContext.Default.SupportState);

        Assert.Equal(state, ReadState(json));
        using var written = JsonDocument.Parse(json);
        using var original = JsonDocument.Parse(SupportStateExample);
        Assert.True(JsonElement.DeepEquals(original.RootElement, written.RootElement), json);
    }

    [Fact]
    public void SerializeOnboardingState_Steps_WritesStepsObject()
    {
        var onboarding = OnboardingState.Create([new("done", new OnboardingStepState(true, null))]);
        Assert.Equal(
            """{"steps":{"done":{"completed":true,"metadata":null}}}""",
            JsonSerializer.Serialize(onboarding, CossistantJsonContext.Default.OnboardingState));
    }

    // ---- WebsiteInfo ---------------------------------------------------------------------------------

    [Fact]
    public void DeserializeWebsiteInfo_TraceBody_ReadsIdsAndIgnoresExtraFields()
    {
        var website = JsonSerializer.Deserialize(WebsiteTraceBody, CossistantJsonContext.Default.WebsiteInfo);

        Assert.NotNull(website);
        Assert.Equal("01M89BBY28DNGS7RTEYF8WAPAT", website.Id);
        Assert.Equal("01M89BBY28ETVB4CZKJQJ1GTPS", website.OrganizationId);
        Assert.Equal("Trace Site", website.Name);
        Assert.Equal("example.test", website.Domain);
        Assert.Equal("active", website.Status);
        Assert.Equal("en", website.DefaultLanguage);
        Assert.NotNull(website.Visitor);
        Assert.Equal("01M89BS72ZMXQ64JP8K5N8PPSF", website.Visitor.Id);
        Assert.False(website.Visitor.IsBlocked);
        Assert.Null(website.Visitor.Language);
        Assert.Null(website.Visitor.Contact);
    }

    [Fact]
    public void DeserializeWebsiteInfo_VisitorWithContact_ReadsContact()
    {
        var body = """
            {"id":"w1","organizationId":"o1","unknown":{"a":1},
             "visitor":{"id":"v1","isBlocked":true,"language":"fr",
                        "contact":{"id":"c1","name":"Alice","email":"alice@example.test","image":null,"externalId":"ext-1","metadata":{"plan":"pro"}}}}
            """;
        var website = JsonSerializer.Deserialize(body, CossistantJsonContext.Default.WebsiteInfo);

        Assert.NotNull(website?.Visitor);
        Assert.True(website.Visitor.IsBlocked);
        Assert.Equal("fr", website.Visitor.Language);
        Assert.Equal(
            new ContactInfo { Id = "c1", Name = "Alice", Email = "alice@example.test", Image = null, ExternalId = "ext-1" },
            website.Visitor.Contact);
    }

    [Fact]
    public void DeserializeWebsiteInfo_PrivateKeyBodyWithoutVisitor_HasNullVisitor()
    {
        var website = JsonSerializer.Deserialize("""{"id":"w1","organizationId":"o1"}""", CossistantJsonContext.Default.WebsiteInfo);
        Assert.NotNull(website);
        Assert.Null(website.Visitor);
    }

    // ---- feature-flag mutation -----------------------------------------------------------------------

    [Theory]
    [InlineData(FeatureFlagTargetType.ContactOrganization, FeatureFlagOperation.Add, """{"target":{"type":"contactOrganization","id":"org_1"},"operation":"add","flags":["new-message"]}""")]
    [InlineData(FeatureFlagTargetType.Visitor, FeatureFlagOperation.Remove, """{"target":{"type":"visitor","id":"org_1"},"operation":"remove","flags":["new-message"]}""")]
    [InlineData(FeatureFlagTargetType.Contact, FeatureFlagOperation.Set, """{"target":{"type":"contact","id":"org_1"},"operation":"set","flags":["new-message"]}""")]
    public void SerializeFeatureFlagMutationRequest_EachTargetAndOperation_WritesWireNames(
        FeatureFlagTargetType type, FeatureFlagOperation operation, string expected)
    {
        var request = new FeatureFlagMutationRequest(new FeatureFlagTarget(type, "org_1"), operation, ["new-message"]);
        Assert.Equal(expected, JsonSerializer.Serialize(request, CossistantJsonContext.Default.FeatureFlagMutationRequest));
    }

    [Fact]
    public void SerializeFeatureFlagMutationRequest_EmptySet_WritesEmptyArray()
    {
        var request = new FeatureFlagMutationRequest(FeatureFlagTarget.Contact("01JG"), FeatureFlagOperation.Set, []);
        Assert.Equal(
            """{"target":{"type":"contact","id":"01JG"},"operation":"set","flags":[]}""",
            JsonSerializer.Serialize(request, CossistantJsonContext.Default.FeatureFlagMutationRequest));
    }

    [Fact]
    public void DeserializeFeatureFlagMutationResult_ServerBody_ReadsTargetAndOwnFlags()
    {
        var result = JsonSerializer.Deserialize(
            """{"target":{"type":"visitor","id":"01M89BS72ZMXQ64JP8K5N8PPSF"},"flags":["beta","new-message"]}""",
            CossistantJsonContext.Default.FeatureFlagMutationResult);

        Assert.NotNull(result);
        Assert.Equal(FeatureFlagTarget.Visitor("01M89BS72ZMXQ64JP8K5N8PPSF"), result.Target);
        Assert.Equal(FeatureFlagTargetType.Visitor, result.Target.Type);
        Assert.Equal(["beta", "new-message"], result.Flags);
    }

    [Fact]
    public void DeserializeFeatureFlagMutationResult_ContactOrganizationTarget_ReadsType()
    {
        var result = JsonSerializer.Deserialize(
            """{"target":{"type":"contactOrganization","id":"org_1"},"flags":[]}""",
            CossistantJsonContext.Default.FeatureFlagMutationResult);

        Assert.NotNull(result);
        Assert.Equal(FeatureFlagTarget.ContactOrganization("org_1"), result.Target);
        Assert.Empty(result.Flags);
    }

    // ---- identify ------------------------------------------------------------------------------------

    [Fact]
    public void SerializeIdentifyRequest_OnlyEmail_OmitsNullFields()
    {
        Assert.Equal(
            """{"email":"a@b.c"}""",
            JsonSerializer.Serialize(new IdentifyRequest { Email = "a@b.c" }, CossistantJsonContext.Default.IdentifyRequest));
    }

    [Fact]
    public void SerializeIdentifyRequest_AllFields_WritesCamelCaseKeys()
    {
        var request = new IdentifyRequest
        {
            VisitorId = "01M",
            ExternalId = "x",
            Email = "a@b.c",
            Name = "Ann",
            Image = "https://i",
            Metadata = Parse("""{"plan":"pro"}"""),
            ContactOrganizationId = "org_1",
        };

        Assert.Equal(
            """{"visitorId":"01M","externalId":"x","email":"a@b.c","name":"Ann","image":"https://i","metadata":{"plan":"pro"},"contactOrganizationId":"org_1"}""",
            JsonSerializer.Serialize(request, CossistantJsonContext.Default.IdentifyRequest));
    }

    [Fact]
    public void DeserializeIdentifyResult_ServerBody_ReadsContactAndVisitorId()
    {
        var result = JsonSerializer.Deserialize(
            """{"contact":{"id":"c1","name":null,"email":"a@b.c","image":null,"externalId":"x"},"visitorId":"01M"}""",
            CossistantJsonContext.Default.IdentifyResult);

        Assert.NotNull(result);
        Assert.Equal("01M", result.VisitorId);
        Assert.Equal("c1", result.Contact.Id);
        Assert.Null(result.Contact.Name);
        Assert.Equal("a@b.c", result.Contact.Email);
        Assert.Null(result.Contact.Image);
    }

    // ---- typed step metadata -------------------------------------------------------------------------

    [Fact]
    public void ToJson_TypedMetadata_GivesObjectWithCamelCaseKeys()
    {
        var json = InviteTeam.ToJson(new InviteTeamMetadata("a@acme.com", 3));

        Assert.NotNull(json);
        Assert.Equal(JsonValueKind.Object, json.Value.ValueKind);
        Assert.Equal(
            ["primaryEmail", "invitedCount"],
            json.Value.EnumerateObject().Select(property => property.Name).ToArray());
        Assert.Equal("a@acme.com", json.Value.GetProperty("primaryEmail").GetString());
        Assert.Equal(3, json.Value.GetProperty("invitedCount").GetInt32());
    }

    [Fact]
    public void FromJson_ToJsonOfRecord_GivesEqualRecord()
    {
        var metadata = new InviteTeamMetadata("a@acme.com", 3);
        Assert.Equal(metadata, InviteTeam.FromJson(InviteTeam.ToJson(metadata)));
    }

    [Fact]
    public void FromJson_Null_GivesNull()
    {
        Assert.Null(InviteTeam.FromJson(null));
    }

    [Fact]
    public void ToJson_Null_GivesNull()
    {
        Assert.Null(InviteTeam.ToJson(null));
    }

    [Fact]
    public void ToJson_IntMetadata_ThrowsArgumentException()
    {
        var step = new OnboardingStep<int>("count", TestJsonContext.Default.Int32);
        var error = Assert.Throws<ArgumentException>(() => step.ToJson(5));
        Assert.Equal("metadata", error.ParamName);
    }

    [Fact]
    public void ToJson_ArrayMetadata_ThrowsArgumentException()
    {
        var step = new OnboardingStep<string[]>("emails", TestJsonContext.Default.StringArray);
        Assert.Throws<ArgumentException>(() => step.ToJson(["a@acme.com"]));
    }

    [Fact]
    public void SetMetadata_ToJsonOfTypedRecord_WritesRequestBody()
    {
        var update = OnboardingUpdate.SetMetadata(InviteTeam.Id, InviteTeam.ToJson(new InviteTeamMetadata("a@acme.com", 1)));
        Assert.Equal(
            """{"stepId":"invite-team","metadata":{"primaryEmail":"a@acme.com","invitedCount":1}}""",
            Write(update));
    }

    [Fact]
    public void GetMetadata_StateHoldingTypedMetadata_GivesTypedRecord()
    {
        var workspace = new OnboardingStep("workspace", isFirst: true);
        var done = new OnboardingStep("done", isLast: true);
        var config = SupportConfig.Create([], [workspace, InviteTeam, done]);
        var state = ReadState("""
            {"featureFlags":[],"onboarding":{"steps":{
              "workspace":{"completed":true,"metadata":null},
              "invite-team":{"completed":false,"metadata":{"primaryEmail":"a@acme.com","invitedCount":2,"legacy":true}}}}}
            """);

        var snapshot = config.GetOnboardingSnapshot(state.Onboarding);

        Assert.Equal(new InviteTeamMetadata("a@acme.com", 2), snapshot.GetMetadata(InviteTeam));
        Assert.Equal("invite-team", snapshot.CurrentStepId);
    }

    [Fact]
    public void GetMetadata_StepWithoutMetadata_GivesNull()
    {
        var config = SupportConfig.Create([], [new OnboardingStep("workspace", isFirst: true), InviteTeam, new OnboardingStep("done", isLast: true)]);
        var snapshot = config.GetOnboardingSnapshot(OnboardingState.Empty);
        Assert.Null(snapshot.GetMetadata(InviteTeam));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static readonly OnboardingStep<InviteTeamMetadata> InviteTeam =
        new("invite-team", TestJsonContext.Default.InviteTeamMetadata);

    private static string Write(OnboardingUpdate update) =>
        JsonSerializer.Serialize(update, CossistantJsonContext.Default.OnboardingUpdate);

    private static OnboardingUpdate ReadUpdate(string json) =>
        JsonSerializer.Deserialize(json, CossistantJsonContext.Default.OnboardingUpdate)
        ?? throw new InvalidOperationException("Deserialized to null.");

    private static SupportState ReadState(string json) =>
        JsonSerializer.Deserialize(json, CossistantJsonContext.Default.SupportState)
        ?? throw new InvalidOperationException("Deserialized to null.");

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>Typed metadata of the invite-team step, as an app would declare it.</summary>
internal sealed record InviteTeamMetadata(string PrimaryEmail, int InvitedCount);

/// <summary>An app's source-generated JSON context for its step metadata.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(InviteTeamMetadata))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
