namespace Cossistant.Client.IntegrationTests.Infrastructure;

/// <summary>
/// A delegating handler in front of a real loopback server: each request goes through a test-supplied step that
/// can hold it, forward it, hold or replace the answer, so a test reorders and delays what the server sees and what
/// the client hears without mocking any code of the client.
/// </summary>
internal sealed class InterceptingHandler : DelegatingHandler
{
    private readonly Func<HttpRequestMessage, Func<Task<HttpResponseMessage>>, CancellationToken, Task<HttpResponseMessage>> _step;

    public InterceptingHandler(Func<HttpRequestMessage, Func<Task<HttpResponseMessage>>, CancellationToken, Task<HttpResponseMessage>> step)
        : base(new SocketsHttpHandler())
    {
        _step = step;
    }

    /// <summary>An <see cref="HttpClient"/> over this handler, as the client expects it (no overall timeout).</summary>
    public HttpClient CreateClient() => new(this, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _step(request, () => base.SendAsync(request, cancellationToken), cancellationToken);

    public static bool IsOnboardingPatch(HttpRequestMessage request) =>
        request.Method == HttpMethod.Patch && request.RequestUri!.AbsolutePath.EndsWith("/support/onboarding", StringComparison.Ordinal);
}
