using Cossistant.Client;
using Cossistant.Client.DependencyInjection;
using Cossistant.Client.Sessions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures one Cossistant registration (<see cref="CossistantServiceCollectionExtensions.AddCossistant(IServiceCollection, Action{CossistantClientOptions})"/>):
/// where a scoped session's visitor comes from, and whether a one-visitor app gets a singleton client.
/// </summary>
public sealed class CossistantBuilder
{
    internal CossistantBuilder(IServiceCollection services, string? name, IHttpClientBuilder httpClient)
    {
        Services = services;
        Name = name;
        HttpClient = httpClient;
    }

    /// <summary>The services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The registration's name: <see langword="null"/> for the default one, else the service key of its keyed services
    /// (<c>[FromKeyedServices("name")]</c>).
    /// </summary>
    public string? Name { get; }

    /// <summary>The builder of the registration's <see cref="System.Net.Http.HttpClient"/>, to add handlers.</summary>
    public IHttpClientBuilder HttpClient { get; }

    /// <summary>
    /// Says where the visitor of a scoped <see cref="CossistantSession"/> (one per request or Blazor circuit) comes
    /// from, e.g. a request header, a cookie, or the signed-in user's stored visitor id. Resolving the session throws
    /// when it returns <see langword="null"/>. In ASP.NET Core, <c>Cossistant.Client.AspNetCore</c> supplies a default
    /// (<c>WithVisitorIdFromRequest()</c>).
    /// </summary>
    /// <param name="visitorId">Reads the visitor id from the scope's services.</param>
    /// <returns>This builder.</returns>
    public CossistantBuilder WithVisitorId(Func<IServiceProvider, string?> visitorId)
    {
        ArgumentNullException.ThrowIfNull(visitorId);
        Services.AddSingleton(new CossistantVisitorSource(Name, visitorId));
        return this;
    }

    /// <summary>
    /// Registers a singleton <see cref="CossistantClient"/> on this registration, for an app with one visitor per
    /// process (a desktop or MAUI app). A server app must not use it: every request would share one visitor.
    /// </summary>
    /// <returns>This builder.</returns>
    public CossistantBuilder AddVisitorClient()
    {
        if (Name is null)
        {
            Services.TryAddSingleton(provider => provider.GetRequiredService<CossistantSessionFactory>().CreateClient());
        }
        else
        {
            Services.TryAddKeyedSingleton(Name, (provider, key) => provider.GetRequiredKeyedService<CossistantSessionFactory>(key).CreateClient());
        }

        return this;
    }

    /// <summary>
    /// Brings the registration's visitor client (<see cref="AddVisitorClient"/>, which this adds) to ready while the host
    /// starts: the website, the visitor's support state, and the realtime socket when
    /// <see cref="CossistantRealtimeOptions.AutoConnect"/> is on (<see cref="CossistantClient.EnsureReadyAsync"/>). The
    /// host's start waits for it, at most <paramref name="timeout"/>. For an app with one visitor per process; a server's
    /// per-request sessions load on first use.
    /// </summary>
    /// <param name="timeout">How long the start may wait; default 10 s.</param>
    /// <param name="failStartup">
    /// Whether a failure (refused keys, the API unreachable, the timeout) stops the host from starting. Default
    /// <see langword="false"/>: it is logged as a warning and the client keeps trying on first use.
    /// </param>
    /// <returns>This builder.</returns>
    public CossistantBuilder WarmUpOnStart(TimeSpan? timeout = null, bool failStartup = false)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        Readiness.ThrowIfInvalid(limit);
        AddVisitorClient();
        var name = Name;
        Services.AddSingleton<IHostedService>(provider => new CossistantWarmUp(
            () => name is null ? provider.GetRequiredService<CossistantClient>() : provider.GetRequiredKeyedService<CossistantClient>(name),
            name,
            limit,
            failStartup,
            provider.GetService<ILoggerFactory>()));
        return this;
    }
}

/// <summary>Where the scoped session of one registration finds its visitor.</summary>
internal sealed record CossistantVisitorSource(string? Name, Func<IServiceProvider, string?> VisitorId);
