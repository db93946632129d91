using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Cossistant.Client.IntegrationTests.DependencyInjection;

/// <summary><c>services.AddCossistant(...)</c> with a real container, configuration and HTTP stack.</summary>
public sealed class AddCossistantTests : IDisposable
{
    private const string Origin = "https://app.example.com";
    private const string VisitorId = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

    private const string WebsiteBody =
        """{"id":"01JWEBSITE0000000000000000","name":"Acme","visitor":{"id":"01ARZ3NDEKTSV4RRFFQ69G5FAV","isBlocked":false}}""";

    private readonly WireMockServer _server = WireMockServer.Start();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AddCossistant_Delegate_ResolvesSingletonFactoryAndServerClientWithConfiguredOptions()
    {
        var support = SupportConfig.FromNames(["new-message", "billing-v2"]);
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(options =>
        {
            options.PrivateApiKey = PrivateKey();
            options.Support = support;
        });
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var factory = provider.GetRequiredService<CossistantSessionFactory>();
        Assert.Same(factory, provider.GetRequiredService<CossistantSessionFactory>());
        var server = provider.GetRequiredService<ICossistantServerClient>();
        Assert.Same(server, provider.GetRequiredService<ICossistantServerClient>());
        Assert.Same(factory.ServerClient, server);
        Assert.Same(support, factory.Support);
        Assert.Same(support, server.Support);
        Assert.Null(provider.GetService<CossistantClient>()); // a server app gets no one-visitor client unless it asks
    }

    [Fact]
    public async Task AddCossistant_Configuration_BindsEveryKey()
    {
        var key = PublicKey();
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(Configuration(key).GetSection("Cossistant")).AddVisitorClient();
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<CossistantClientOptions>>().Value;
        var client = provider.GetRequiredService<CossistantClient>();

        Assert.Equal(key, options.PublicKey);
        Assert.Equal(Origin, options.Origin);
        Assert.Equal(new Uri(_server.Url + "/v1"), options.ApiUrl);
        Assert.Equal(2, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(10), options.Retry.BaseDelay);
        Assert.Equal(["beta"], client.Support.FeatureFlags.Select(flag => flag.Name));
    }

    [Fact]
    public async Task AddCossistant_Configuration_FetchWebsiteHitsConfiguredServerWithHeaders()
    {
        _server.Given(Request.Create().WithPath("/v1/websites").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(WebsiteBody));
        var key = PublicKey();
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(Configuration(key).GetSection("Cossistant")).AddVisitorClient();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CossistantClient>();

        var website = await client.FetchWebsiteAsync(Token);

        Assert.Equal("01JWEBSITE0000000000000000", website.Id);
        Assert.Equal(VisitorId, client.VisitorId);
        var request = Assert.Single(_server.LogEntries).RequestMessage!;
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/websites", request.Path);
        Assert.Equal(key, Header(request.Headers, "X-Public-Key"));
        Assert.Equal(Origin, Header(request.Headers, "Origin"));
        Assert.Null(Header(request.Headers, "Authorization"));
        Assert.Null(Header(request.Headers, "X-Visitor-Id"));
    }

    [Fact]
    public async Task AddCossistant_ConfiguredRetry_AttemptsOncePlusMaxRetries()
    {
        _server.Given(Request.Create().WithPath("/v1/websites").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("down"));
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(Configuration(PublicKey()).GetSection("Cossistant")).AddVisitorClient();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CossistantClient>();

        var exception = await Assert.ThrowsAsync<CossistantApiException>(() => client.FetchWebsiteAsync(Token));

        Assert.Equal(503, exception.StatusCode);
        Assert.Equal(1 + 2, _server.LogEntries.Count);
    }

    [Fact]
    public async Task AddCossistant_ConfigurationThenDelegate_DelegateAppliedAfterSection()
    {
        var support = SupportConfig.FromNames(["from-delegate"]);
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(Configuration(PublicKey()).GetSection("Cossistant"), options => options.Support = support).AddVisitorClient();
        await using var provider = services.BuildServiceProvider();

        Assert.Same(support, provider.GetRequiredService<CossistantClient>().Support);
    }

    [Fact]
    public async Task AddCossistant_NoKey_OptionsValueThrowsNamingField()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(options => options.Origin = Origin).AddVisitorClient();
        await using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptions<CossistantClientOptions>>().Value);

        var failure = Assert.Single(exception.Failures);
        Assert.Contains("PublicKey", failure, StringComparison.Ordinal);
        Assert.Contains("PrivateApiKey", failure, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<CossistantClient>());
    }

    [Fact]
    public async Task AddCossistant_InvalidOptions_StartupValidatorFails()
    {
        var key = PublicKey();
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(options => options.PublicKey = key); // no Origin
        await using var provider = services.BuildServiceProvider();
        var validator = provider.GetRequiredService<IStartupValidator>();

        var exception = Assert.Throws<OptionsValidationException>(validator.Validate);

        Assert.Contains(exception.Failures, failure => failure.StartsWith("Origin", StringComparison.Ordinal));
        Assert.DoesNotContain(key, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCossistant_ValidOptions_StartupValidatorPasses()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(options => options.PrivateApiKey = PrivateKey()).AddVisitorClient();
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.NotNull(provider.GetRequiredService<CossistantClient>());
    }

    [Fact]
    public async Task AddCossistant_ConfigurationWithBadRetryNumber_ThrowsNamingKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cossistant:PrivateApiKey"] = PrivateKey(),
            ["Cossistant:Retry:MaxRetryAttempts"] = "three",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(configuration.GetSection("Cossistant"));
        await using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptions<CossistantClientOptions>>().Value);

        Assert.Contains("MaxRetryAttempts", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCossistant_TimeProviderInContainer_RetryWaitsOnIt()
    {
        // A 429 asks for 25 s: on the system clock the retry would come after the test's 15 s limit.
        _server.Given(Request.Create().WithPath("/v1/websites").UsingGet())
            .InScenario("retry-after").WillSetStateTo("served")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "25").WithBody("slow down"));
        _server.Given(Request.Create().WithPath("/v1/websites").UsingGet())
            .InScenario("retry-after").WhenStateIs("served")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(WebsiteBody));
        var time = new FakeTimeProvider();
        var counter = new RequestCounter();
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(time);
        services.AddCossistant(options =>
        {
            options.PrivateApiKey = PrivateKey();
            options.ApiUrl = new Uri(_server.Url + "/v1");
            options.Retry.MaxRetryAttempts = 1;
            options.Retry.AttemptTimeout = TimeSpan.FromDays(1); // fake-time jumps must not time out an attempt
        }).AddVisitorClient().HttpClient.AddHttpMessageHandler(() => new CountingHandler(counter));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CossistantClient>();

        var fetch = client.FetchWebsiteAsync(Token);
        // Move the fake clock until the retry is sent. Each step is the Retry-After, so the delay fires on the first
        // step after it was scheduled; the real-time pause only lets the first attempt's response come back.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (counter.Count < 2 && !fetch.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromSeconds(25));
            await Task.Delay(10, Token);
        }

        var website = await fetch.WaitAsync(TimeSpan.FromSeconds(5), Token);

        Assert.Equal("01JWEBSITE0000000000000000", website.Id);
        Assert.Equal(2, counter.Count);
        Assert.Equal(2, _server.LogEntries.Count);
    }

    [Fact]
    public async Task AddCossistant_HandlerAddedToReturnedBuilder_SeesEveryRequest()
    {
        _server.Given(Request.Create().WithPath("/v1/websites").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(WebsiteBody));
        var counter = new RequestCounter();
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(options =>
        {
            options.PublicKey = PublicKey();
            options.Origin = Origin;
            options.ApiUrl = new Uri(_server.Url + "/v1");
        }).AddVisitorClient().HttpClient.AddHttpMessageHandler(() => new CountingHandler(counter));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CossistantClient>();

        await client.FetchWebsiteAsync(Token);
        await client.FetchWebsiteAsync(Token);

        Assert.Equal(2, counter.Count);
        Assert.Equal(2, _server.LogEntries.Count);
        Assert.All(counter.Paths, path => Assert.Equal("/v1/websites", path));
        // The second call re-sends the visitor id the first one returned.
        Assert.Equal(VisitorId, Header(_server.LogEntries[^1].RequestMessage!.Headers, "X-Visitor-Id"));
    }

    private IConfiguration Configuration(string publicKey) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cossistant:PublicKey"] = publicKey,
            ["Cossistant:Origin"] = Origin,
            ["Cossistant:ApiUrl"] = _server.Url + "/v1",
            ["Cossistant:FeatureFlags:0"] = "beta",
            ["Cossistant:Retry:MaxRetryAttempts"] = "2",
            ["Cossistant:Retry:BaseDelay"] = "00:00:00.010",
        }).Build();

    private static string? Header(IDictionary<string, WireMock.Types.WireMockList<string>>? headers, string name) =>
        headers?.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.ToString();

    private static string Hex() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    private static string PublicKey() => "pk_test_" + Hex();

    private static string PrivateKey() => "sk_test_" + Hex();

    private sealed class RequestCounter
    {
        private int _count;

        public System.Collections.Concurrent.ConcurrentQueue<string> Paths { get; } = new();

        public int Count => Volatile.Read(ref _count);

        public void Add(HttpRequestMessage request)
        {
            Paths.Enqueue(request.RequestUri!.AbsolutePath);
            Interlocked.Increment(ref _count);
        }
    }

    private sealed class CountingHandler(RequestCounter counter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.Add(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
