using System.Text;
using System.Text.Json;
using Cossistant.Client.Realtime;

namespace Cossistant.Client.Tests.Realtime;

/// <summary>Server frames of the realtime socket (protocol.md §8), including the exact frames in <c>traces/</c>.</summary>
public sealed class RealtimeFrameParserTests
{
    /// <summary>The first frame of <c>traces/06-ws-public-headers.txt</c>, unescaped.</summary>
    private const string TraceHello =
        """{"type":"CONNECTION_ESTABLISHED","payload":{"connectionId":"conn_1795610681566_s7yiojb","visitorId":"01M89BS86B272X41E3XTDC4PR3","organizationId":"01M89BBY28ETVB4CZKJQJ1GTPS","websiteId":"01M89BBY28DNGS7RTEYF8WAPAT","timestamp":1795610681566}}""";

    /// <summary>The protocol §8 <c>supportStateUpdated</c> example.</summary>
    private const string SupportStateUpdatedExample = """
        {"type":"supportStateUpdated","payload":{"websiteId":"01JWEB...","organizationId":"01JORG...",
         "visitorId":"01JVIS...","userId":null,
         "state":{"featureFlags":["beta","new-message"],
                  "onboarding":{"steps":{"workspace":{"completed":true,"metadata":{"workspaceName":"Acme"}}}}}}}
        """;

    private static readonly SupportState ExampleState = new(
        ["beta", "new-message"],
        OnboardingState.Create(
        [
            new("workspace", new OnboardingStepState(true, Parse("""{"workspaceName":"Acme"}"""))),
        ]));

    // ---- hello ---------------------------------------------------------------------------------------

    [Fact]
    public void Parse_TraceConnectionEstablished_GivesHelloWithIds()
    {
        var frame = RealtimeFrameParser.Parse(TraceHello);

        Assert.Equal(
            new RealtimeFrame.Hello(
                "conn_1795610681566_s7yiojb",
                "01M89BBY28DNGS7RTEYF8WAPAT",
                "01M89BS86B272X41E3XTDC4PR3",
                "01M89BBY28ETVB4CZKJQJ1GTPS"),
            frame);
    }

    [Fact]
    public void Parse_TraceConnectionEstablishedAsUtf8_GivesSameHello()
    {
        Assert.Equal(RealtimeFrameParser.Parse(TraceHello), RealtimeFrameParser.Parse(Encoding.UTF8.GetBytes(TraceHello)));
    }

    [Fact]
    public void Parse_ConnectionAccepted_GivesHelloWithTopLevelConnectionId()
    {
        var frame = RealtimeFrameParser.Parse("""{"type":"connection.accepted","connectionId":"c1"}""");
        Assert.Equal(new RealtimeFrame.Hello("c1", null, null, null), frame);
    }

    // ---- heartbeat -----------------------------------------------------------------------------------

    [Fact]
    public void Parse_Pong_GivesPong()
    {
        Assert.IsType<RealtimeFrame.Pong>(RealtimeFrameParser.Parse("pong"));
        Assert.IsType<RealtimeFrame.Pong>(RealtimeFrameParser.Parse("pong"u8));
    }

    // ---- errors --------------------------------------------------------------------------------------

    [Fact]
    public void Parse_AuthenticationFailedFrame_GivesAuthenticationError()
    {
        var frame = RealtimeFrameParser.Parse("""{"error":"Authentication failed","message":"Invalid API key","code":401}""");

        var error = Assert.IsType<RealtimeFrame.Error>(frame);
        Assert.Equal("Authentication failed", error.Kind);
        Assert.Equal("Invalid API key", error.Message);
        Assert.Equal(401, error.Code);
        Assert.Null(error.Details);
        Assert.True(error.IsAuthenticationFailure);
    }

    [Fact]
    public void Parse_TypedErrorWith403_GivesAuthenticationError()
    {
        var frame = RealtimeFrameParser.Parse("""{"type":"error","code":403,"message":"x"}""");

        var error = Assert.IsType<RealtimeFrame.Error>(frame);
        Assert.Equal(403, error.Code);
        Assert.Equal("x", error.Message);
        Assert.True(error.IsAuthenticationFailure);
    }

    [Fact]
    public void Parse_IdentificationRequiredWithoutCode_GivesAuthenticationError()
    {
        var frame = RealtimeFrameParser.Parse("""{"error":"Identification required","message":"Visitor id missing"}""");

        var error = Assert.IsType<RealtimeFrame.Error>(frame);
        Assert.Null(error.Code);
        Assert.True(error.IsAuthenticationFailure);
    }

    [Fact]
    public void Parse_InvalidMessageFormatWithDetails_GivesNonAuthenticationErrorWithDetails()
    {
        // The exact frame of traces/06-ws-public-headers.txt after the client sent "hello".
        var frame = RealtimeFrameParser.Parse(
            """{"error":"Invalid message format","details":"JSON Parse error: Unexpected identifier \"hello\""}""");

        var error = Assert.IsType<RealtimeFrame.Error>(frame);
        Assert.Equal("Invalid message format", error.Kind);
        Assert.Null(error.Message);
        Assert.Null(error.Code);
        Assert.Equal("JSON Parse error: Unexpected identifier \"hello\"", error.Details);
        Assert.False(error.IsAuthenticationFailure);
    }

    [Fact]
    public void Parse_ErrorWithStructuredDetails_KeepsDetailsAsJsonText()
    {
        var frame = RealtimeFrameParser.Parse("""{"error":"Invalid message format","details":[{"code":"invalid_type","path":["websiteId"]}]}""");

        var error = Assert.IsType<RealtimeFrame.Error>(frame);
        Assert.NotNull(error.Details);
        Assert.Contains("invalid_type", error.Details, StringComparison.Ordinal);
        Assert.False(error.IsAuthenticationFailure);
    }

    [Fact]
    public void Parse_InvalidEventTypeError_IsNotAuthenticationFailure()
    {
        var frame = RealtimeFrameParser.Parse("""{"error":"Invalid event type","message":"Invalid event type: noSuchEvent"}""");

        var error = Assert.IsType<RealtimeFrame.Error>(frame);
        Assert.Equal("Invalid event type: noSuchEvent", error.Message);
        Assert.False(error.IsAuthenticationFailure);
    }

    // ---- supportStateUpdated -------------------------------------------------------------------------

    [Fact]
    public void Parse_ProtocolSupportStateUpdatedExample_GivesFullState()
    {
        var frame = RealtimeFrameParser.Parse(SupportStateUpdatedExample);

        var update = Assert.IsType<RealtimeFrame.SupportStateUpdated>(frame);
        Assert.Equal("01JWEB...", update.WebsiteId);
        Assert.Equal("01JORG...", update.OrganizationId);
        Assert.Equal("01JVIS...", update.VisitorId);
        Assert.Null(update.UserId);
        Assert.Equal(ExampleState, update.State);
    }

    [Fact]
    public void Parse_SupportStateUpdatedWithUnnormalizedFlags_GivesNormalizedState()
    {
        var frame = RealtimeFrameParser.Parse("""
            {"type":"supportStateUpdated","payload":{"websiteId":"w","organizationId":"o","visitorId":"v","userId":null,
             "state":{"featureFlags":["new-message"," beta ","beta","bad,flag","","\uFEFFbeta"],
                      "onboarding":{"steps":{"workspace":{"completed":true,"metadata":{"workspaceName":"Acme"}},"gone":"not-an-object"}}}}}
            """);

        var update = Assert.IsType<RealtimeFrame.SupportStateUpdated>(frame);
        Assert.Equal(["beta", "new-message"], update.State.FeatureFlags.ToArray());
        Assert.Equal(ExampleState, update.State);
    }

    [Fact]
    public void Parse_SupportStateUpdatedWithTypeAfterPayload_IsStillParsed()
    {
        var frame = RealtimeFrameParser.Parse("""
            {"payload":{"websiteId":"w","organizationId":"o","visitorId":"v","userId":"u",
                        "state":{"featureFlags":["beta","new-message"],
                                 "onboarding":{"steps":{"workspace":{"completed":true,"metadata":{"workspaceName":"Acme"}}}}}},
             "type":"supportStateUpdated"}
            """);

        var update = Assert.IsType<RealtimeFrame.SupportStateUpdated>(frame);
        Assert.Equal("w", update.WebsiteId);
        Assert.Equal("v", update.VisitorId);
        Assert.Equal("u", update.UserId);
        Assert.Equal(ExampleState, update.State);
    }

    [Fact]
    public void Parse_SupportStateUpdatedWithUnknownFields_IgnoresThem()
    {
        var frame = RealtimeFrameParser.Parse("""
            {"type":"supportStateUpdated","id":7,"payload":{"websiteId":"w","extra":{"type":"other"},"visitorId":null,"userId":null,
             "state":{"featureFlags":[],"onboarding":{"steps":{}},"version":2}}}
            """);

        var update = Assert.IsType<RealtimeFrame.SupportStateUpdated>(frame);
        Assert.Null(update.VisitorId);
        Assert.Equal(SupportState.Empty, update.State);
    }

    // ---- other events --------------------------------------------------------------------------------

    [Fact]
    public void Parse_VisitorIdentified_GivesOtherWithType()
    {
        var frame = RealtimeFrameParser.Parse("""{"type":"visitorIdentified","payload":{}}""");
        Assert.Equal(new RealtimeFrame.Other("visitorIdentified"), frame);
    }

    [Fact]
    public void Parse_UnknownEventWithoutPayload_GivesOther()
    {
        Assert.Equal(new RealtimeFrame.Other("conversationTyping"), RealtimeFrameParser.Parse("""{"type":"conversationTyping"}"""));
    }

    // ---- malformed -----------------------------------------------------------------------------------

    [Theory]
    [InlineData("{")]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"pong\"")]
    [InlineData("""{"payload":{}}""")]
    [InlineData("""{"type":"supportStateUpdated"}""")]
    [InlineData("""{"type":"supportStateUpdated","payload":null}""")]
    [InlineData("""{"type":"supportStateUpdated","payload":{"websiteId":"w"}}""")]
    [InlineData("""{"type":"supportStateUpdated","payload":{"state":{"featureFlags":"x"}}}""")]
    [InlineData("""{"type":"supportStateUpdated","payload":{"state":[]}}""")]
    public void Parse_MalformedFrame_ThrowsJsonException(string text)
    {
        Assert.ThrowsAny<JsonException>(() => RealtimeFrameParser.Parse(text));
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
