using Microsoft.Extensions.Logging;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Cossistant.Client.IntegrationTests.Infrastructure;

/// <summary>
/// A fake Cossistant API on loopback (WireMock), with fresh real-shaped keys, a capturing logger and helpers to
/// build clients against it and read the requests it received. One per test; disposing it disposes its clients.
/// </summary>
public sealed class FakeApi : IDisposable
{
    private readonly List<CossistantClient> _clients = [];
    private readonly object _clientsGate = new(); // not Lock: this suite also builds for net8.0

    public FakeApi()
    {
        Server = WireMockServer.Start();
        LoggerFactory = Logs.CreateFactory();
    }

    public WireMockServer Server { get; }

    /// <summary>The REST base: the server's URL plus <c>/v1</c>, as in production.</summary>
    public Uri ApiUrl => new(Server.Url + "/v1");

    public string PublicKey { get; } = TestData.NewPublicKey();

    public string PrivateKey { get; } = TestData.NewPrivateKey();

    public CapturingLoggerProvider Logs { get; } = new();

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The requests received so far, in arrival order.</summary>
    public IReadOnlyList<IRequestMessage> Requests =>
        [.. Server.LogEntries.Select(entry => entry.RequestMessage).OfType<IRequestMessage>().OrderBy(request => request.DateTime)];

    /// <summary>Retries that stay fast on real time.</summary>
    public static CossistantRetryOptions FastRetry(int maxRetryAttempts = 3) => new()
    {
        MaxRetryAttempts = maxRetryAttempts,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Options of a visitor-facing app: public key and Origin.</summary>
    public CossistantClientOptions PublicOptions(IVisitorIdStore? visitorIdStore = null) => new()
    {
        ApiUrl = ApiUrl,
        PublicKey = PublicKey,
        Origin = TestData.Origin,
        VisitorIdStore = visitorIdStore ?? new InMemoryVisitorIdStore(),
        LoggerFactory = LoggerFactory,
        Retry = FastRetry(),
    };

    /// <summary>Options of a server-side app: private key only.</summary>
    public CossistantClientOptions PrivateOptions() => new()
    {
        ApiUrl = ApiUrl,
        PrivateApiKey = PrivateKey,
        LoggerFactory = LoggerFactory,
        Retry = FastRetry(),
    };

    /// <summary>A client that is disposed with this fake API.</summary>
    public CossistantClient CreateClient(CossistantClientOptions options)
    {
        var client = new CossistantClient(options);
        lock (_clientsGate)
        {
            _clients.Add(client);
        }

        return client;
    }

    public CossistantClient PublicClient(Action<CossistantClientOptions>? configure = null)
    {
        var options = PublicOptions();
        configure?.Invoke(options);
        return CreateClient(options);
    }

    public CossistantClient PrivateClient(Action<CossistantClientOptions>? configure = null)
    {
        var options = PrivateOptions();
        configure?.Invoke(options);
        return CreateClient(options);
    }

    /// <summary>A public-key client whose visitor is loaded (one <c>GET /websites</c>), then the request log cleared.</summary>
    public async Task<CossistantClient> VisitorClientAsync(
        string? visitorId = null, Action<CossistantClientOptions>? configure = null, bool resetLog = true)
    {
        GivenWebsite(visitorId ?? TestData.NewVisitorId());
        var client = PublicClient(configure);
        await client.FetchWebsiteAsync(TestContext.Current.CancellationToken);
        if (resetLog)
        {
            Server.ResetLogEntries();
        }

        return client;
    }

    /// <summary><c>GET /v1/websites</c> answers 200 with the trace body for this visitor.</summary>
    public string GivenWebsite(string visitorId, bool isBlocked = false)
    {
        Given("GET", "/v1/websites", 200, TestData.WebsiteBody(visitorId, isBlocked));
        return visitorId;
    }

    /// <summary><c>GET /v1/support/state</c> answers 200 with this body.</summary>
    public void GivenState(string body, TimeSpan? delay = null) => Given("GET", "/v1/support/state", 200, body, delay: delay);

    /// <summary>A path answers with a status and body (content type JSON unless told).</summary>
    public void Given(
        string method,
        string path,
        int status,
        string body,
        string contentType = "application/json",
        TimeSpan? delay = null,
        IDictionary<string, string>? headers = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response = response.WithHeader(name, value);
        }

        if (delay is { } wait)
        {
            response = response.WithDelay(wait);
        }

        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).RespondWith(response);
    }

    public IReadOnlyList<IRequestMessage> RequestsTo(string method, string path) =>
        [.. Requests.Where(request => request.Method == method && request.AbsolutePath == path)];

    /// <summary>The value of a request header (case-insensitive name), or <see langword="null"/> when absent.</summary>
    public static string? Header(IRequestMessage request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        var match = request.Headers?.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase));
        return match is { Key: not null } found ? string.Join(",", found.Value) : null;
    }

    /// <summary>Waits (real time) until at least <paramref name="count"/> requests were received.</summary>
    public async Task WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (Server.LogEntries.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Expected at least {count} requests within the timeout, got {Server.LogEntries.Count}.");
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Waits (real time) until a log line contains <paramref name="text"/>.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!Logs.Lines.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No log line containing \"{text}\" within the timeout.");
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    public void Dispose()
    {
        lock (_clientsGate)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }

            _clients.Clear();
        }

        Server.Stop();
        Server.Dispose();
        LoggerFactory.Dispose();
    }
}
