using System.Globalization;
using Cossistant.Client;
using Cossistant.Client.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Cossistant in a service collection.</summary>
public static class CossistantServiceCollectionExtensions
{
    /// <summary>The name of the default registration's <see cref="HttpClient"/> (a named registration appends <c>:name</c>).</summary>
    public const string HttpClientName = "Cossistant.Client";

    /// <summary>
    /// Registers Cossistant configured by a delegate: a singleton <see cref="CossistantSessionFactory"/> (the shared
    /// HTTP handler, logger, <see cref="TimeProvider"/>, config and visitor cache), a singleton
    /// <see cref="ICossistantServerClient"/> on it, and a scoped <see cref="CossistantSession"/> (one per request or
    /// circuit) whose visitor comes from <see cref="CossistantBuilder.WithVisitorId"/>. The options are validated
    /// when the host starts (and at the latest on first use), with messages that name each field. Sessions open no
    /// realtime socket unless asked: the factory's cache keeps them fresh.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder, to say where visitors come from and to add HTTP handlers.</returns>
    public static CossistantBuilder AddCossistant(this IServiceCollection services, Action<CossistantClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, null, configure);
    }

    /// <summary>
    /// Registers Cossistant (see <see cref="AddCossistant(IServiceCollection, Action{CossistantClientOptions})"/>)
    /// configured from a configuration section, e.g. <c>builder.Configuration.GetSection("Cossistant")</c> with keys
    /// <c>ApiUrl</c>, <c>RealtimeUrl</c>, <c>PublicKey</c>, <c>PrivateApiKey</c>, <c>Origin</c>, <c>ActorUserId</c>,
    /// <c>FeatureFlags</c> (a list), <c>StateTimeToLive</c> and
    /// <c>Retry:MaxRetryAttempts</c>/<c>BaseDelay</c>/<c>MaxDelay</c>/<c>MaxRetryAfter</c>/<c>AttemptTimeout</c>.
    /// Keep keys in user secrets or the environment, not in appsettings.json.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The configuration section.</param>
    /// <param name="configure">Further settings applied after the section (e.g. <c>Support</c>).</param>
    /// <returns>The builder.</returns>
    public static CossistantBuilder AddCossistant(
        this IServiceCollection services, IConfiguration section, Action<CossistantClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(services, null, options =>
        {
            Bind(section, options);
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Registers a named Cossistant registration, e.g. a second website: its factory, server client and scoped session
    /// are keyed services (<c>[FromKeyedServices("name")]</c>), with options, HTTP client and cache of their own.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The registration's name (the service key).</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static CossistantBuilder AddCossistant(this IServiceCollection services, string name, Action<CossistantClientOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, name, configure);
    }

    /// <summary>Registers Cossistant configured from a configuration section alone (see the overload with a delegate).</summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static CossistantBuilder AddCossistant(this IServiceCollection services, IConfiguration section) =>
        AddCossistant(services, section, null);

    /// <summary>A named registration configured from a configuration section (see the other overloads).</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The registration's name (the service key).</param>
    /// <param name="section">The configuration section.</param>
    /// <param name="configure">Further settings applied after the section.</param>
    /// <returns>The builder.</returns>
    public static CossistantBuilder AddCossistant(
        this IServiceCollection services, string name, IConfiguration section, Action<CossistantClientOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(services, name, options =>
        {
            Bind(section, options);
            configure?.Invoke(options);
        });
    }

    private static CossistantBuilder AddCore(IServiceCollection services, string? name, Action<CossistantClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsName = name ?? Options.Options.DefaultName;
        var httpClientName = name is null ? HttpClientName : HttpClientName + ":" + name;
        services.AddOptions<CossistantClientOptions>(optionsName).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CossistantClientOptions>, CossistantOptionsValidator>());

        CossistantSessionFactory CreateFactory(IServiceProvider provider)
        {
            var options = provider.GetRequiredService<IOptionsMonitor<CossistantClientOptions>>().Get(optionsName).Clone();
            options.LoggerFactory ??= provider.GetService<ILoggerFactory>();
            if (ReferenceEquals(options.TimeProvider, TimeProvider.System) && provider.GetService<TimeProvider>() is { } time)
            {
                options.TimeProvider = time;
            }

            return new CossistantSessionFactory(options, provider.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName));
        }

        CossistantSession CreateSession(IServiceProvider provider, CossistantSessionFactory factory)
        {
            var source = provider.GetServices<CossistantVisitorSource>().LastOrDefault(candidate => candidate.Name == name)
                ?? throw new InvalidOperationException(
                    "A scoped CossistantSession needs to know its visitor: call AddCossistant(...).WithVisitorId(provider => ...) "
                    + "(or WithVisitorIdFromRequest() from Cossistant.Client.AspNetCore), or inject CossistantSessionFactory and create sessions yourself.");
            var visitorId = source.VisitorId(provider)
                ?? throw new InvalidOperationException("No Cossistant visitor is known in this scope (the configured visitor source returned null).");
            return factory.CreateSession(visitorId);
        }

        if (name is null)
        {
            services.TryAddSingleton(CreateFactory);
            services.TryAddSingleton<ICossistantServerClient>(provider => provider.GetRequiredService<CossistantSessionFactory>().ServerClient);
            services.TryAddScoped(provider => CreateSession(provider, provider.GetRequiredService<CossistantSessionFactory>()));
        }
        else
        {
            services.TryAddKeyedSingleton(name, (provider, _) => CreateFactory(provider));
            services.TryAddKeyedSingleton<ICossistantServerClient>(name, (provider, key) => provider.GetRequiredKeyedService<CossistantSessionFactory>(key).ServerClient);
            services.TryAddKeyedScoped(name, (provider, key) => CreateSession(provider, provider.GetRequiredKeyedService<CossistantSessionFactory>(key)));
        }

        var http = services.AddHttpClient(httpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(Cossistant.Client.Http.Platform.CreateHandler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        return new CossistantBuilder(services, name, http);
    }

    /// <summary>Reads the options by hand (no reflection binder: trimming and AOT safe).</summary>
    private static void Bind(IConfiguration section, CossistantClientOptions options)
    {
        if (section["ApiUrl"] is { Length: > 0 } apiUrl)
        {
            options.ApiUrl = ParseUri(apiUrl, "ApiUrl");
        }

        if (section["RealtimeUrl"] is { Length: > 0 } realtimeUrl)
        {
            options.RealtimeUrl = ParseUri(realtimeUrl, "RealtimeUrl");
        }

        options.PublicKey = section["PublicKey"] ?? options.PublicKey;
        options.PrivateApiKey = section["PrivateApiKey"] ?? options.PrivateApiKey;
        options.Origin = section["Origin"] ?? options.Origin;
        options.ActorUserId = section["ActorUserId"] ?? options.ActorUserId;

        var flags = section.GetSection("FeatureFlags").GetChildren().Select(child => child.Value ?? string.Empty).ToList();
        if (flags.Count > 0)
        {
            try
            {
                options.Support = SupportConfig.FromNames(flags);
            }
            catch (SupportConfigException exception)
            {
                throw new OptionsValidationException(
                    nameof(CossistantClientOptions), typeof(CossistantClientOptions), [$"FeatureFlags: {exception.Message}"]);
            }
        }

        var retry = section.GetSection("Retry");
        if (retry["MaxRetryAttempts"] is { Length: > 0 } attempts)
        {
            options.Retry.MaxRetryAttempts = int.TryParse(attempts, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new OptionsValidationException(
                    nameof(CossistantClientOptions), typeof(CossistantClientOptions), ["Retry:MaxRetryAttempts must be a whole number."]);
        }

        options.StateTimeToLive = ParseTime(section, "StateTimeToLive", string.Empty) ?? options.StateTimeToLive;
        options.Retry.BaseDelay = ParseTime(retry, "BaseDelay", "Retry:") ?? options.Retry.BaseDelay;
        options.Retry.MaxDelay = ParseTime(retry, "MaxDelay", "Retry:") ?? options.Retry.MaxDelay;
        options.Retry.MaxRetryAfter = ParseTime(retry, "MaxRetryAfter", "Retry:") ?? options.Retry.MaxRetryAfter;
        options.Retry.AttemptTimeout = ParseTime(retry, "AttemptTimeout", "Retry:") ?? options.Retry.AttemptTimeout;
    }

    private static Uri ParseUri(string value, string name) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new OptionsValidationException(
                nameof(CossistantClientOptions), typeof(CossistantClientOptions), [$"{name} \"{value}\" is not an absolute URL."]);

    private static TimeSpan? ParseTime(IConfiguration section, string name, string path) =>
        section[name] is not { Length: > 0 } text
            ? null
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new OptionsValidationException(
                    nameof(CossistantClientOptions), typeof(CossistantClientOptions), [$"{path}{name} \"{text}\" is not a time span such as 00:00:30."]);
}
