namespace Cossistant.Client.Blazor.Tests.Infrastructure;

/// <summary>
/// A handler in the registration's HTTP pipeline, in front of the real emulator: a request a test armed a hold for
/// waits until the test releases it, so the test sees what the page shows while the server has not answered yet.
/// </summary>
internal sealed class HoldingHandler(RequestHolds holds) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (holds.Take(request) is { } hold)
        {
            await hold.HoldAsync(cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
