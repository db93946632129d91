using Cossistant.Client.IntegrationTests.Infrastructure;

namespace Cossistant.Client.IntegrationTests.Http;

/// <summary>Options are validated when the client is created; messages name the field and never show a key.</summary>
public sealed class OptionsValidationTests : IDisposable
{
    private readonly FakeApi _api = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _api.Dispose();

    [Fact]
    public void Constructor_NoKeyAtAll_NamesBothKeyFields()
    {
        var exception = Assert.Throws<ArgumentException>(() => new CossistantClient(new CossistantClientOptions { Origin = TestData.Origin }));

        Assert.Contains("PublicKey", exception.Message, StringComparison.Ordinal);
        Assert.Contains("PrivateApiKey", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Server.LogEntries);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_PublicKeyWithoutOrigin_NamesOrigin(string? origin)
    {
        var options = new CossistantClientOptions { PublicKey = _api.PublicKey, Origin = origin };

        var exception = Assert.Throws<ArgumentException>(() => new CossistantClient(options));

        Assert.Contains("Origin", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.PublicKey, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:3000")]
    [InlineData("ftp://localhost")]
    public void Constructor_OriginNotHttpUrl_NamesOrigin(string origin)
    {
        var options = new CossistantClientOptions { PublicKey = _api.PublicKey, Origin = origin };

        var exception = Assert.Throws<ArgumentException>(() => new CossistantClient(options));

        Assert.Contains("Origin", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PrivateKeyOnlyWithoutOrigin_IsValid()
    {
        using var client = new CossistantClient(new CossistantClientOptions { PrivateApiKey = _api.PrivateKey });

        Assert.Null(client.VisitorId);
    }

    public static TheoryData<string, bool> BadApiUrls => new()
    {
        { "/v1", false },
        { "ftp://api.cossistant.com/v1", true },
        { "ws://api.cossistant.com/v1", true },
        { "file:///tmp/v1", true },
        { "https://api.cossistant.com/v1?token=x", true },
    };

    [Theory]
    [MemberData(nameof(BadApiUrls))]
    public void Constructor_MalformedApiUrl_NamesApiUrl(string url, bool absolute)
    {
        var options = _api.PublicOptions();
        options.ApiUrl = new Uri(url, absolute ? UriKind.Absolute : UriKind.Relative);

        var exception = Assert.Throws<ArgumentException>(() => new CossistantClient(options));

        Assert.Contains("ApiUrl", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.PublicKey, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullApiUrl_NamesApiUrl()
    {
        var options = _api.PublicOptions();
        options.ApiUrl = null!;

        var exception = Assert.Throws<ArgumentException>(() => new CossistantClient(options));

        Assert.Contains("ApiUrl", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.cossistant.com/ws")]
    [InlineData("http://api.cossistant.com/ws")]
    public void Constructor_RealtimeUrlNotWebSocket_NamesRealtimeUrl(string url)
    {
        var options = _api.PublicOptions();
        options.RealtimeUrl = new Uri(url);

        var exception = Assert.Throws<ArgumentException>(() => new CossistantClient(options));

        Assert.Contains("RealtimeUrl", exception.Message, StringComparison.Ordinal);
    }

    private const string Hex = "54c6dbc235a53b667c87b0acdb570c0784aa0666069a1f2e3d4c5b6a79881726";

    public static TheoryData<string, string> BadKeys => new()
    {
        { "PublicKey", "pk_test_" + Hex[..63] },             // 63 hex characters
        { "PublicKey", "pk_test_" + Hex + "0" },             // 65
        { "PublicKey", "pk_test_" + Hex.ToUpperInvariant() }, // public keys are lower-case hex
        { "PublicKey", "pk_live_" + Hex },
        { "PublicKey", "sk_test_" + Hex },                   // a private key in the public slot
        { "PublicKey", " pk_test_" + Hex },                  // pasted with a space
        { "PrivateApiKey", "pk_test_" + Hex },               // a public key in the private slot
        { "PrivateApiKey", "sk_test_" + Hex[..60] + "zzzz" },
        { "PrivateApiKey", "Bearer sk_test_" + Hex },
    };

    [Theory]
    [InlineData("PublicKey")]
    [InlineData("PrivateApiKey")]
    public void Constructor_KeyWithTrailingNewline_IsRejected(string field)
    {
        var options = new CossistantClientOptions { Origin = TestData.Origin };
        if (field == "PublicKey")
        {
            options.PublicKey = _api.PublicKey + "\n";
        }
        else
        {
            options.PrivateApiKey = _api.PrivateKey + "\n";
        }

        var exception = Assert.Throws<ArgumentException>(() => new CossistantClient(options));

        Assert.Contains(field, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void Constructor_KeyOfWrongShape_NamesFieldWithoutShowingKey(string field, string key)
    {
        var options = new CossistantClientOptions { Origin = TestData.Origin };
        if (field == "PublicKey")
        {
            options.PublicKey = key;
        }
        else
        {
            options.PrivateApiKey = key;
        }

        var exception = Assert.Throws<ArgumentException>(() => new CossistantClient(options));

        Assert.Contains(field, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim()[8..], exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), options.ToString(), StringComparison.Ordinal);
        Assert.All(options.Validate(), problem => Assert.DoesNotContain(key.Trim()[8..], problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Constructor_RetryAttemptsOutOfRange_NamesRetryField(int attempts)
    {
        var options = _api.PublicOptions();
        options.Retry.MaxRetryAttempts = attempts;

        var exception = Assert.Throws<ArgumentException>(() => new CossistantClient(options));

        Assert.Contains("Retry.MaxRetryAttempts", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEach()
    {
        var options = new CossistantClientOptions { ApiUrl = new Uri("ftp://x/v1"), PublicKey = _api.PublicKey };

        var problems = options.Validate();

        Assert.Contains(problems, problem => problem.Contains("ApiUrl", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("Origin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Constructor_OptionsChangedAfterward_ClientKeepsItsCopy()
    {
        var options = _api.PublicOptions();
        _api.GivenWebsite(TestData.NewVisitorId());
        var client = _api.CreateClient(options);

        options.PublicKey = TestData.NewPublicKey();
        options.Origin = "https://elsewhere.example";
        await client.FetchWebsiteAsync(Ct);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(_api.PublicKey, FakeApi.Header(request, "X-Public-Key"));
        Assert.Equal(TestData.Origin, FakeApi.Header(request, "Origin"));
    }
}
