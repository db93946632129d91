using System.Security.Cryptography;

namespace Cossistant.Client.Tests;

/// <summary>Validation, redaction and copying of <see cref="CossistantClientOptions"/>.</summary>
public sealed class CossistantClientOptionsTests
{
    private const string Origin = "https://app.example.com";

    /// <summary>Fixed hex for theory data, so test names are stable; keys checked for leaks are random.</summary>
    private const string FixedHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Validate_NoKeys_NamesBothKeyFields()
    {
        var problems = new CossistantClientOptions().Validate();

        var problem = Assert.Single(problems);
        Assert.Contains("PublicKey", problem, StringComparison.Ordinal);
        Assert.Contains("PrivateApiKey", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyStringKeys_CountAsNoKey()
    {
        var problems = new CossistantClientOptions { PublicKey = "", PrivateApiKey = "" }.Validate();

        var problem = Assert.Single(problems);
        Assert.Contains("No API key", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PublicKeyWithoutOrigin_AsksForOrigin()
    {
        var problems = new CossistantClientOptions { PublicKey = PublicKey() }.Validate();

        var problem = Assert.Single(problems);
        Assert.StartsWith("Origin", problem, StringComparison.Ordinal);
        Assert.Contains("PublicKey", problem, StringComparison.Ordinal);
        Assert.Contains("https://app.example.com", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PublicKeyWithWhitespaceOrigin_AsksForOrigin()
    {
        var problems = new CossistantClientOptions { PublicKey = PublicKey(), Origin = "   " }.Validate();

        Assert.Contains(problems, problem => problem.StartsWith("Origin is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PublicKeyWithOrigin_IsValid()
    {
        Assert.Empty(new CossistantClientOptions { PublicKey = PublicKey(), Origin = Origin }.Validate());
    }

    [Fact]
    public void Validate_PrivateKeyAloneWithoutOrigin_IsValid()
    {
        Assert.Empty(new CossistantClientOptions { PrivateApiKey = PrivateKey() }.Validate());
    }

    [Fact]
    public void Validate_BothKeysWithoutOrigin_IsValid()
    {
        Assert.Empty(new CossistantClientOptions { PublicKey = PublicKey(), PrivateApiKey = PrivateKey() }.Validate());
    }

    [Theory]
    [InlineData("pk_")]
    [InlineData("pk_test_")]
    public void Validate_PublicKeyWithLowercaseHex_IsValid(string prefix)
    {
        var options = new CossistantClientOptions { PublicKey = prefix + Hex(), Origin = Origin };

        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("sk_", false)]
    [InlineData("sk_test_", false)]
    [InlineData("sk_", true)]
    [InlineData("sk_test_", true)]
    public void Validate_PrivateKeyWithHex_IsValid(string prefix, bool upperCase)
    {
        var hex = Hex();
        var options = new CossistantClientOptions { PrivateApiKey = prefix + (upperCase ? hex.ToUpperInvariant() : hex) };

        Assert.Empty(options.Validate());
    }

    public static TheoryData<string> MalformedPublicKeys => new()
    {
        "pk_" + FixedHex[..63],
        "pk_" + FixedHex + "0",
        "pk_" + FixedHex.ToUpperInvariant(),
        "pk_" + FixedHex[..63] + "g",
        "pk_live_" + FixedHex,
        FixedHex,
        "PK_" + FixedHex,
        " pk_" + FixedHex,
    };

    [Theory]
    [MemberData(nameof(MalformedPublicKeys))]
    public void Validate_MalformedPublicKey_NamesFieldAndShapeWithoutKey(string key)
    {
        var problems = new CossistantClientOptions { PublicKey = key, Origin = Origin }.Validate();

        var problem = Assert.Single(problems);
        Assert.StartsWith("PublicKey", problem, StringComparison.Ordinal);
        Assert.Contains("64 hex", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), problem, StringComparison.Ordinal);
    }

    public static TheoryData<string> MalformedPrivateKeys => new()
    {
        "sk_" + FixedHex[..63],
        "sk_" + FixedHex + "a",
        "sk_" + FixedHex[..63] + "z",
        "sk_live_" + FixedHex,
        "Bearer sk_" + FixedHex,
        FixedHex,
    };

    [Theory]
    [MemberData(nameof(MalformedPrivateKeys))]
    public void Validate_MalformedPrivateKey_NamesFieldAndShapeWithoutKey(string key)
    {
        var problems = new CossistantClientOptions { PrivateApiKey = key }.Validate();

        var problem = Assert.Single(problems);
        Assert.StartsWith("PrivateApiKey", problem, StringComparison.Ordinal);
        Assert.Contains("64 hex", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(key, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PrivateKeyInPublicKey_HintsToMoveIt()
    {
        var key = PrivateKey();
        var problems = new CossistantClientOptions { PublicKey = key, Origin = Origin }.Validate();

        var problem = Assert.Single(problems);
        Assert.Contains("put it in PrivateApiKey", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(key, problem, StringComparison.Ordinal);
        Assert.DoesNotContain(key[3..], problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PublicKeyInPrivateApiKey_HintsToMoveIt()
    {
        var key = PublicKey();
        var problems = new CossistantClientOptions { PrivateApiKey = key }.Validate();

        var problem = Assert.Single(problems);
        Assert.Contains("put it in PublicKey", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(key, problem, StringComparison.Ordinal);
        Assert.DoesNotContain(key[3..], problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeysSwapped_BothHintsWithoutKeys()
    {
        var publicKey = PublicKey();
        var privateKey = PrivateKey();
        var problems = new CossistantClientOptions { PublicKey = privateKey, PrivateApiKey = publicKey }.Validate();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, problem => problem.Contains("put it in PrivateApiKey", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("put it in PublicKey", StringComparison.Ordinal));
        AssertNoSecret(problems, publicKey, privateKey);
    }

    public static TheoryData<string> InvalidApiUrls => new() { "/v1", "ftp://api.example.com/v1", "ws://api.example.com/v1" };

    [Theory]
    [MemberData(nameof(InvalidApiUrls))]
    public void Validate_ApiUrlNotHttp_NamesFieldAndExample(string url)
    {
        var options = new CossistantClientOptions
        {
            PrivateApiKey = PrivateKey(),
            ApiUrl = new Uri(url, UriKind.RelativeOrAbsolute),
        };

        var problem = Assert.Single(options.Validate());
        Assert.StartsWith("ApiUrl", problem, StringComparison.Ordinal);
        Assert.Contains("https://", problem, StringComparison.Ordinal);
        Assert.Contains("https://api.cossistant.com/v1", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ApiUrlNull_NamesField()
    {
        var options = new CossistantClientOptions { PrivateApiKey = PrivateKey(), ApiUrl = null! };

        Assert.StartsWith("ApiUrl", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5000/v1")]
    [InlineData("https://api.example.com/v1/")]
    public void Validate_ApiUrlHttpOrHttps_IsValid(string url)
    {
        var options = new CossistantClientOptions { PrivateApiKey = PrivateKey(), ApiUrl = new Uri(url) };

        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("http://api.example.com/ws")]
    [InlineData("https://api.example.com/ws")]
    [InlineData("/ws")]
    public void Validate_RealtimeUrlNotWebSocket_NamesFieldAndSchemes(string url)
    {
        var options = new CossistantClientOptions
        {
            PrivateApiKey = PrivateKey(),
            RealtimeUrl = new Uri(url, UriKind.RelativeOrAbsolute),
        };

        var problem = Assert.Single(options.Validate());
        Assert.StartsWith("RealtimeUrl", problem, StringComparison.Ordinal);
        Assert.Contains("ws://", problem, StringComparison.Ordinal);
        Assert.Contains("wss://", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ws://localhost:5000/ws")]
    [InlineData("wss://api.example.com/ws")]
    public void Validate_RealtimeUrlWebSocket_IsValid(string url)
    {
        var options = new CossistantClientOptions { PrivateApiKey = PrivateKey(), RealtimeUrl = new Uri(url) };

        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("https://api.example.com/v1?token=abc")]
    [InlineData("https://api.example.com/v1#fragment")]
    public void Validate_ApiUrlWithQueryOrFragment_NamesFieldAndReason(string url)
    {
        var options = new CossistantClientOptions { PrivateApiKey = PrivateKey(), ApiUrl = new Uri(url) };

        var problem = Assert.Single(options.Validate());
        Assert.StartsWith("ApiUrl", problem, StringComparison.Ordinal);
        Assert.Contains("query", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RealtimeUrlWithQuery_NamesField()
    {
        var options = new CossistantClientOptions
        {
            PrivateApiKey = PrivateKey(),
            RealtimeUrl = new Uri("wss://api.example.com/ws?token=abc"),
        };

        Assert.StartsWith("RealtimeUrl", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("ftp://app.example.com")]
    [InlineData("ws://app.example.com")]
    [InlineData("//app.example.com")]
    public void Validate_OriginNotAbsoluteHttp_NamesFieldAndForm(string origin)
    {
        var options = new CossistantClientOptions { PublicKey = PublicKey(), Origin = origin };

        var problem = Assert.Single(options.Validate());
        Assert.StartsWith("Origin", problem, StringComparison.Ordinal);
        Assert.Contains("http(s)", problem, StringComparison.Ordinal);
        Assert.Contains("https://app.example.com", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:3000")]
    [InlineData("https://app.example.com")]
    public void Validate_OriginAbsoluteHttp_IsValid(string origin)
    {
        Assert.Empty(new CossistantClientOptions { PublicKey = PublicKey(), Origin = origin }.Validate());
    }

    public static TheoryData<string, Action<CossistantRetryOptions>> InvalidRetries => new()
    {
        { "Retry.MaxRetryAttempts", retry => retry.MaxRetryAttempts = -1 },
        { "Retry.MaxRetryAttempts", retry => retry.MaxRetryAttempts = 101 },
        { "Retry.BaseDelay", retry => retry.BaseDelay = TimeSpan.FromMilliseconds(-1) },
        { "Retry.BaseDelay", retry => { retry.BaseDelay = TimeSpan.FromDays(2); retry.MaxDelay = TimeSpan.FromDays(2); } },
        { "Retry.MaxDelay", retry => retry.MaxDelay = TimeSpan.FromMilliseconds(100) },
        { "Retry.MaxDelay", retry => retry.MaxDelay = TimeSpan.FromDays(1) + TimeSpan.FromTicks(1) },
        { "Retry.MaxRetryAfter", retry => retry.MaxRetryAfter = TimeSpan.FromSeconds(-1) },
        { "Retry.AttemptTimeout", retry => retry.AttemptTimeout = TimeSpan.Zero },
        { "Retry.AttemptTimeout", retry => retry.AttemptTimeout = TimeSpan.FromDays(2) },
    };

    [Theory]
    [MemberData(nameof(InvalidRetries))]
    public void Validate_RetryOutOfBounds_NamesField(string field, Action<CossistantRetryOptions> change)
    {
        var options = new CossistantClientOptions { PrivateApiKey = PrivateKey() };
        change(options.Retry);

        var problems = options.Validate();

        Assert.NotEmpty(problems);
        Assert.Contains(problems, problem => problem.StartsWith(field, StringComparison.Ordinal));
    }

    public static TheoryData<Action<CossistantRetryOptions>> ValidRetries => new()
    {
        retry => retry.MaxRetryAttempts = 0,
        retry => retry.MaxRetryAttempts = 100,
        retry => { retry.BaseDelay = TimeSpan.Zero; retry.MaxDelay = TimeSpan.Zero; },
        retry => { retry.BaseDelay = TimeSpan.FromDays(1); retry.MaxDelay = TimeSpan.FromDays(1); },
        retry => retry.MaxRetryAfter = TimeSpan.Zero,
        retry => retry.AttemptTimeout = TimeSpan.FromDays(1),
    };

    [Theory]
    [MemberData(nameof(ValidRetries))]
    public void Validate_RetryAtBounds_IsValid(Action<CossistantRetryOptions> change)
    {
        var options = new CossistantClientOptions { PrivateApiKey = PrivateKey() };
        change(options.Retry);

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Validate_NullCollaborators_NameEachField()
    {
        var options = new CossistantClientOptions
        {
            PrivateApiKey = PrivateKey(),
            Support = null!,
            VisitorIdStore = null!,
            TimeProvider = null!,
            Retry = null!,
        };

        var problems = options.Validate();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, problem => problem.StartsWith("Support", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("VisitorIdStore", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("TimeProvider", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("Retry", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEach()
    {
        var options = new CossistantClientOptions
        {
            PublicKey = PublicKey(),
            ApiUrl = new Uri("ftp://api.example.com"),
            RealtimeUrl = new Uri("https://api.example.com/ws"),
        };
        options.Retry.MaxRetryAttempts = -1;

        var problems = options.Validate();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, problem => problem.StartsWith("ApiUrl", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("RealtimeUrl", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("Origin", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("Retry.MaxRetryAttempts", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pk_", "sk_")]
    [InlineData("pk_test_", "sk_test_")]
    public void ToString_WithKeys_RedactsBoth(string publicPrefix, string privatePrefix)
    {
        var publicKey = publicPrefix + Hex();
        var privateKey = privatePrefix + Hex();
        var options = new CossistantClientOptions { PublicKey = publicKey, PrivateApiKey = privateKey, Origin = Origin };

        var text = options.ToString();

        Assert.DoesNotContain(publicKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(privateKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(publicKey[^16..], text, StringComparison.Ordinal);
        Assert.DoesNotContain(privateKey[^16..], text, StringComparison.Ordinal);
        Assert.Contains("PublicKey = " + publicPrefix + "[redacted]", text, StringComparison.Ordinal);
        Assert.Contains("PrivateApiKey = " + privatePrefix + "[redacted]", text, StringComparison.Ordinal);
        Assert.Contains(Origin, text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_MalformedKeys_StillRedacted()
    {
        var publicKey = "garbage-" + Hex();
        var privateKey = Hex()[..20];
        var options = new CossistantClientOptions { PublicKey = publicKey, PrivateApiKey = privateKey };

        var text = options.ToString();

        Assert.DoesNotContain(publicKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(privateKey, text, StringComparison.Ordinal);
        Assert.Contains("[redacted]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NoKeys_SaysNone()
    {
        var text = new CossistantClientOptions().ToString();

        Assert.Contains("PublicKey = (none)", text, StringComparison.Ordinal);
        Assert.Contains("PrivateApiKey = (none)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AnyProblemWithKeysSet_NoMessageContainsAKey()
    {
        var publicKey = PublicKey();
        var privateKey = PrivateKey();
        var options = new CossistantClientOptions
        {
            PublicKey = publicKey + "x", // malformed: its message must not echo it
            PrivateApiKey = privateKey + "x",
            Origin = "not a url",
            ApiUrl = new Uri("ftp://api.example.com"),
            RealtimeUrl = new Uri("http://api.example.com/ws"),
        };
        options.Retry.AttemptTimeout = TimeSpan.Zero;

        var problems = options.Validate();

        Assert.True(problems.Count >= 5, string.Join(Environment.NewLine, problems));
        AssertNoSecret(problems, publicKey, privateKey);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsArgumentExceptionNamingFieldWithoutKey()
    {
        var key = PublicKey();
        var options = new CossistantClientOptions { PublicKey = key };

        var exception = Assert.Throws<ArgumentException>(() => new CossistantClient(options));

        Assert.Equal("options", exception.ParamName);
        Assert.Contains("Origin", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key[3..], exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsBeforeUsingGivenHttpClient()
    {
        using var handler = new CountingHandler();
        using var http = new HttpClient(handler);
        var options = new CossistantClientOptions { ApiUrl = new Uri("ftp://x") };

        var exception = Assert.Throws<ArgumentException>(() => new CossistantClient(options, http));

        Assert.Contains("ApiUrl", exception.Message, StringComparison.Ordinal);
        Assert.Contains("No API key", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public void Constructor_NullOptions_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => new CossistantClient(null!));
    }

    [Fact]
    public void Constructor_OptionsMutatedAfterwards_ClientKeepsItsCopy()
    {
        var support = SupportConfig.FromNames(["beta"]);
        var options = new CossistantClientOptions { PrivateApiKey = PrivateKey(), Support = support };
        using var client = new CossistantClient(options);

        options.Support = SupportConfig.FromNames(["other"]);
        options.PrivateApiKey = null;
        options.ApiUrl = new Uri("ftp://changed");
        options.Retry.MaxRetryAttempts = -5;

        Assert.Same(support, client.Support);
        Assert.Equal("beta", Assert.Single(client.Support.FeatureFlags).Name);
    }

    private static void AssertNoSecret(IEnumerable<string> messages, params string[] keys)
    {
        foreach (var message in messages)
        {
            foreach (var key in keys)
            {
                Assert.DoesNotContain(key, message, StringComparison.Ordinal);
                Assert.DoesNotContain(key[^16..], message, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private static string Hex() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    private static string PublicKey() => "pk_" + Hex();

    private static string PrivateKey() => "sk_" + Hex();

    private sealed class CountingHandler : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError));
        }
    }
}
