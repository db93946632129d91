using Cossistant.Client.Testing.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cossistant.Client.Testing;

/// <summary>Starting the emulator's server.</summary>
public sealed partial class CossistantEmulator
{
    /// <summary>Starts an emulator on <c>127.0.0.1</c> with one website.</summary>
    /// <param name="port">The port; 0 (default) picks a free one.</param>
    /// <param name="loggerFactory">Where the server logs; default nowhere.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator.</returns>
    /// <exception cref="IOException">The port is in use (the inner exception is an <c>AddressInUseException</c>) or cannot be bound.</exception>
    public static Task<CossistantEmulator> StartAsync(
        int port = 0, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        // Built and started outside the caller's execution context: tools that capture the host an app's entry point
        // builds (WebApplicationFactory, dotnet ef) tell that host apart by an AsyncLocal and take the first one built
        // there, so an emulator an app starts in its Program before its own host would be taken (and reconfigured)
        // instead of the app's.
        if (ExecutionContext.IsFlowSuppressed())
        {
            return Task.Run(() => StartCoreAsync(port, loggerFactory, cancellationToken), CancellationToken.None);
        }

        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => StartCoreAsync(port, loggerFactory, cancellationToken), CancellationToken.None);
        }
    }

    private static async Task<CossistantEmulator> StartCoreAsync(int port, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>(); // the process's signals are its owner's
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        var app = builder.Build();
        var emulator = new CossistantEmulator(app, new EmulatorData(TimeProvider.System), TimeProvider.System);
        app.UseWebSockets();
        app.Run(emulator.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // E.g. the port is in use (an IOException whose inner exception is an AddressInUseException).
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseUrl = new Uri(address);
        emulator.ApiUrl = new Uri(address + "/v1");
        emulator.RealtimeUrl = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
        emulator.DefaultWebsite = emulator.CreateWebsite("Acme", "acme.example", ["localhost", "example.com"]);
        return emulator;
    }
}
