using Cossistant.Client.IntegrationTests.Infrastructure;

namespace Cossistant.Client.IntegrationTests.Http;

/// <summary>Every error body shape of protocol.md becomes the right exception with status, code, message and details.</summary>
public sealed class ErrorMappingTests : IDisposable
{
    private readonly FakeApi _api = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task FetchSupportStateAsync_ErrorMessageJson404_MapsCodeAndMessage()
    {
        var client = await NoRetryClientAsync();
        _api.Given("GET", "/v1/support/state", 404, """{"error":"NOT_FOUND","message":"Visitor not found"}""");

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(404, exception.StatusCode);
        Assert.Equal("NOT_FOUND", exception.ErrorCode);
        Assert.Equal("Visitor not found", exception.ServerMessage);
        Assert.Null(exception.Details);
        Assert.Contains("404", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Visitor not found", exception.Message, StringComparison.Ordinal);
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task FetchSupportStateAsync_CodeMessageJson_MapsCode()
    {
        var client = await NoRetryClientAsync();
        _api.Given("GET", "/v1/support/state", 409, """{"code":"RATE","message":"m"}""");

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(409, exception.StatusCode);
        Assert.Equal("RATE", exception.ErrorCode);
        Assert.Equal("m", exception.ServerMessage);
    }

    [Fact]
    public async Task FetchSupportStateAsync_ErrorMessageWithDetails_KeepsDetails()
    {
        var client = await NoRetryClientAsync();
        _api.Given("GET", "/v1/support/state", 404, """{"error":"NOT_FOUND","message":"Target not found","details":{"id":"c_1"}}""");

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal("NOT_FOUND", exception.ErrorCode);
        Assert.Equal("Target not found", exception.ServerMessage);
        Assert.NotNull(exception.Details);
        Assert.Contains("c_1", exception.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteOnboardingStepAsync_ZodError400_ValidationExceptionWithIssues()
    {
        var client = await NoRetryClientAsync();
        _api.Given("PATCH", "/v1/support/onboarding", 400, TestData.ZodErrorBody);

        var exception = await Assert.ThrowsAsync<CossistantValidationException>(() => client.CompleteOnboardingStepAsync("workspace", Ct));

        Assert.Equal(400, exception.StatusCode);
        Assert.Equal("ZodError", exception.ErrorCode);
        Assert.Equal("Provide reset: true or a stepId with completed and/or metadata.", exception.ServerMessage);
        Assert.Equal(TestData.ZodIssues, exception.Details);
        Assert.Contains("\"code\": \"custom\"", exception.Details, StringComparison.Ordinal);
        Assert.Contains("Provide reset: true", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MutateSupportFeatureFlagsAsync_ZodErrorWithTwoIssues_JoinsIssueMessages()
    {
        var client = _api.PrivateClient(options => options.Retry.MaxRetryAttempts = 0);
        const string body =
            """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"origin\": \"string\",\n    \"code\": \"too_small\",\n    \"minimum\": 1,\n    \"inclusive\": true,\n    \"path\": [\n      \"stepId\"\n    ],\n    \"message\": \"Too small: expected string to have >=1 characters\"\n  },\n  {\n    \"code\": \"custom\",\n    \"path\": [],\n    \"message\": \"Provide reset: true or a stepId with completed and/or metadata.\"\n  }\n]"}}""";
        _api.Given("PATCH", "/v1/support/feature-flags", 400, body);

        var exception = await Assert.ThrowsAsync<CossistantValidationException>(() => client.MutateSupportFeatureFlagsAsync(
            FeatureFlagTarget.Contact("c_1"), FeatureFlagOperation.Add, ["x"], Ct));

        Assert.Equal("ZodError", exception.ErrorCode);
        Assert.Contains("Too small: expected string to have >=1 characters", exception.ServerMessage, StringComparison.Ordinal);
        Assert.Contains("Provide reset: true", exception.ServerMessage, StringComparison.Ordinal);
        Assert.Contains("too_small", exception.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchSupportStateAsync_BareText401OctetStream_AuthenticationExceptionWithText()
    {
        var client = await NoRetryClientAsync();
        _api.Given("GET", "/v1/support/state", 401, "Invalid API key", "application/octet-stream");

        var exception = await Assert.ThrowsAsync<CossistantAuthenticationException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(401, exception.StatusCode);
        Assert.Equal("Invalid API key", exception.ServerMessage);
        Assert.Null(exception.ErrorCode);
        Assert.Contains("Invalid API key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchWebsiteAsync_BareText403_AuthenticationExceptionWithText()
    {
        var client = _api.PublicClient(options => options.Retry.MaxRetryAttempts = 0);
        _api.Given("GET", "/v1/websites", 403, "Domain example.org is not whitelisted for this API key", "application/octet-stream");

        var exception = await Assert.ThrowsAsync<CossistantAuthenticationException>(() => client.FetchWebsiteAsync(Ct));

        Assert.Equal(403, exception.StatusCode);
        Assert.Equal("Domain example.org is not whitelisted for this API key", exception.ServerMessage);
        Assert.Null(client.VisitorId);
    }

    [Fact]
    public async Task FetchSupportStateAsync_TextPlain429_ApiExceptionWithText()
    {
        var client = await NoRetryClientAsync();
        _api.Given("GET", "/v1/support/state", 429, "Too many requests, please try again later.", "text/plain");

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(429, exception.StatusCode);
        Assert.Equal("Too many requests, please try again later.", exception.ServerMessage);
        Assert.Null(exception.ErrorCode);
    }

    [Fact]
    public async Task CompleteOnboardingStepAsync_MalformedJson400Text_ValidationExceptionWithText()
    {
        var client = await NoRetryClientAsync();
        _api.Given("PATCH", "/v1/support/onboarding", 400, "Malformed JSON in request body", "application/octet-stream");

        var exception = await Assert.ThrowsAsync<CossistantValidationException>(() => client.CompleteOnboardingStepAsync("workspace", Ct));

        Assert.Equal("Malformed JSON in request body", exception.ServerMessage);
        Assert.Null(exception.ErrorCode);
    }

    [Fact]
    public async Task FetchSupportStateAsync_JsonTextUnderTextContentType_StillParsedAsJson()
    {
        var client = await NoRetryClientAsync();
        _api.Given("GET", "/v1/support/state", 404, """{"error":"NOT_FOUND","message":"Visitor not found"}""", "text/plain");

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal("NOT_FOUND", exception.ErrorCode);
        Assert.Equal("Visitor not found", exception.ServerMessage);
    }

    [Fact]
    public async Task FetchSupportStateAsync_Html502_ShortServerMessage()
    {
        var client = await NoRetryClientAsync();
        var page = "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n"
            + string.Concat(Enumerable.Repeat("<p>upstream connect error or disconnect/reset before headers. reset reason: connection failure</p>\n", 80))
            + "<hr><center>nginx</center>\n</body>\n</html>\n";
        _api.Given("GET", "/v1/support/state", 502, page, "text/html");

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(502, exception.StatusCode);
        Assert.NotNull(exception.ServerMessage);
        Assert.InRange(exception.ServerMessage.Length, 1, 400);
        Assert.Contains("502 Bad Gateway", exception.ServerMessage, StringComparison.Ordinal);
        Assert.True(exception.Message.Length < 600, $"Message is {exception.Message.Length} characters long.");
        Assert.DoesNotContain('\n', exception.ServerMessage);
    }

    [Fact]
    public async Task FetchSupportStateAsync_Truncated200Json_InvalidResponse()
    {
        var client = await NoRetryClientAsync();
        _api.GivenState("""{"featureFlags":[""");

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(CossistantErrorCodes.InvalidResponse, exception.ErrorCode);
        Assert.Equal(200, exception.StatusCode);
        Assert.Equal(SupportStateStatus.Error, client.Status);
        Assert.False(client.IsFeatureFlagEnabled("beta"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("<html>ok</html>")]
    [InlineData("""{"featureFlags":"beta"}""")]
    public async Task FetchSupportStateAsync_Unreadable200Body_InvalidResponse(string body)
    {
        var client = await NoRetryClientAsync();
        _api.GivenState(body);

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(CossistantErrorCodes.InvalidResponse, exception.ErrorCode);
    }

    [Fact]
    public async Task FetchSupportStateAsync_EmptyErrorBody_StatusOnly()
    {
        var client = await NoRetryClientAsync();
        _api.Given("GET", "/v1/support/state", 404, string.Empty, "text/plain");

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchSupportStateAsync(cancellationToken: Ct));

        Assert.Equal(404, exception.StatusCode);
        Assert.Null(exception.ErrorCode);
        Assert.Null(exception.ServerMessage);
    }

    private Task<CossistantClient> NoRetryClientAsync() =>
        _api.VisitorClientAsync(configure: options => options.Retry.MaxRetryAttempts = 0);
}
