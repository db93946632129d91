using Cossistant.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cossistant.Client.DependencyInjection;

/// <summary>
/// Brings a registration's visitor client to ready while the host starts (<see cref="CossistantClient.EnsureReadyAsync"/>):
/// the host's start waits for it, up to the timeout. A failure stops the start, or with
/// <c>failStartup: false</c> is logged and the client keeps trying on first use.
/// </summary>
internal sealed partial class CossistantWarmUp(
    Func<CossistantClient> client, string? name, TimeSpan timeout, bool failStartup, ILoggerFactory? loggerFactory) : IHostedService
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CossistantWarmUp>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var snapshot = await client().EnsureReadyAsync(timeout, cancellationToken).ConfigureAwait(false);
            LogReady(_logger, name ?? "(default)", snapshot.Status);
        }
        catch (Exception exception) when (!failStartup && exception is not OperationCanceledException)
        {
            LogFailed(_logger, name ?? "(default)", exception);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(20, LogLevel.Information, "Cossistant registration {Name} is ready: {Status}")]
    private static partial void LogReady(ILogger logger, string name, SupportStateStatus status);

    [LoggerMessage(21, LogLevel.Warning, "Cossistant registration {Name} was not ready at start; it keeps trying on first use")]
    private static partial void LogFailed(ILogger logger, string name, Exception exception);
}
