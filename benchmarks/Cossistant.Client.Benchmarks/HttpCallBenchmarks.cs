using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace Cossistant.Client.Benchmarks;

/// <summary>
/// The client-side CPU cost of one flag mutation call (diagnostic, no target), without a network: the same
/// <see cref="HttpClient"/> over an in-memory handler that answers at once (or after one thread-pool hop), called through
/// <c>MutateSupportFeatureFlagsAsync</c> (request building, Polly retry + timeout pipeline, JSON both ways) and
/// as a bare <c>SendAsync</c> of the same request. The difference is what the SDK adds to each call.
/// </summary>
[WarmupCount(BenchmarkConfig.LongWarmup)]
[BenchmarkCategory("http")]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the clients in [GlobalCleanup].")]
public class HttpCallBenchmarks
{
    private const string VisitorId = Fixtures.OfflineVisitorId;

    private static readonly byte[] Answer = Encoding.UTF8.GetBytes(
        $$"""{"target":{"type":"visitor","id":"{{VisitorId}}"},"flags":["bench-latency"]}""");

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        $$"""{"target":{"type":"visitor","id":"{{VisitorId}}"},"operation":"add","flags":["bench-latency"]}""");

    private static readonly FeatureFlag Flag = new("bench-latency");

    private HttpClient _http = null!;

    /// <summary>Whether the handler answers synchronously or after a thread-pool hop (as a socket does).</summary>
    [Params(false, true)]
    public bool AsyncAnswer { get; set; }
    private CossistantClient _client = null!;
    private FeatureFlagTarget _target = null!;
    private Uri _uri = null!;

    [GlobalSetup]
    public void Setup()
    {
        _http = new HttpClient(new AnswerHandler(AsyncAnswer)) { Timeout = Timeout.InfiniteTimeSpan };
        var options = Fixtures.OfflineOptions(SupportConfig.Empty);
        options.PublicKey = null;
        options.Origin = null;
        options.PrivateApiKey = "sk_test_" + new string('0', 64);
        _client = new CossistantClient(options, _http);
        _target = FeatureFlagTarget.Visitor(VisitorId);
        _uri = new Uri(options.ApiUrl + "/support/feature-flags");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _http.Dispose();
    }

    [Benchmark(Baseline = true, Description = "bare HttpClient PATCH (in-memory handler)")]
    public async Task<string> Bare()
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, _uri) { Content = new ByteArrayContent(Body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_0");
        request.Headers.Accept.ParseAdd("application/json");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    [Benchmark(Description = "SDK MutateSupportFeatureFlagsAsync (in-memory handler)")]
    public Task<FeatureFlagMutationResult> Sdk() =>
        _client.MutateSupportFeatureFlagsAsync(_target, FeatureFlagOperation.Add, [Flag]);

    private sealed class AnswerHandler(bool hop) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (hop)
            {
                await Task.Yield();
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new ByteArrayContent(Answer) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                RequestMessage = request,
            };
        }
    }
}
