using Microsoft.Extensions.Hosting;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// The emulator's host lifetime: it is a library inside someone else's process, so it neither listens to Ctrl+C
/// nor to SIGTERM (the default console lifetime would stop only the emulator and keep the process from ending).
/// Its owner stops it by disposing it; a standalone host handles the signals itself.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
