using System.Diagnostics.Metrics;
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
    /// configured from a configuration section, e.g. <c>builder.Configuration.GetSection("Cossistant")</c>. Every
    /// setting of <see cref="CossistantClientOptions"/> has a key of its property's name: <c>ApiUrl</c>,
    /// <c>RealtimeUrl</c>, <c>PublicKey</c>, <c>PrivateApiKey</c>, <c>Origin</c>, <c>ActorUserId</c>,
    /// <c>TraceVisitorIds</c>, <c>StateTimeToLive</c>, <c>FeatureFlags</c> (a list of names, for <c>Support</c>),
    /// <c>VisitorIdFile</c> (a <see cref="FileVisitorIdStore"/>), <c>LastKnownStateDirectory</c> (a
    /// <see cref="FileLastKnownStateStore"/>), <c>Retry:*</c> (<c>MaxRetryAttempts</c>, <c>BaseDelay</c>,
    /// <c>MaxDelay</c>, <c>MaxRetryAfter</c>, <c>AttemptTimeout</c>) and <c>Realtime:*</c> (<c>AutoConnect</c>,
    /// <c>PingInterval</c>, <c>DeadConnectionTimeout</c>, <c>ReconnectBaseDelay</c>, <c>ReconnectMaxDelay</c>,
    /// <c>ConnectTimeout</c>, <c>MaxFrameBytes</c>). Times are <c>hh:mm:ss</c>. Services (time, logging, metrics)
    /// come from the container. Keep keys in user secrets or the environment, not in appsettings.json.
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
            options.MeterFactory ??= provider.GetService<IMeterFactory>(); // the host's meters (AddMetrics)
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

    /// <summary>
    /// Reads every setting by hand (no reflection binder: trimming and AOT safe). A key that is absent or empty leaves
    /// the option as it was; a value that does not parse fails with the key's path.
    /// </summary>
    private static void Bind(IConfiguration section, CossistantClientOptions options)
    {
        options.ApiUrl = ParseUri(section, "ApiUrl") ?? options.ApiUrl;
        options.RealtimeUrl = ParseUri(section, "RealtimeUrl") ?? options.RealtimeUrl;
        options.PublicKey = section["PublicKey"] ?? options.PublicKey;
        options.PrivateApiKey = section["PrivateApiKey"] ?? options.PrivateApiKey;
        options.Origin = section["Origin"] ?? options.Origin;
        options.ActorUserId = section["ActorUserId"] ?? options.ActorUserId;
        options.TraceVisitorIds = ParseBool(section, "TraceVisitorIds", string.Empty) ?? options.TraceVisitorIds;
        options.StateTimeToLive = ParseTime(section, "StateTimeToLive", string.Empty) ?? options.StateTimeToLive;
        if (section["VisitorIdFile"] is { Length: > 0 } visitorIdFile)
        {
            options.VisitorIdStore = new FileVisitorIdStore(visitorIdFile);
        }

        if (section["LastKnownStateDirectory"] is { Length: > 0 } lastKnownDirectory)
        {
            options.LastKnownStateStore = new FileLastKnownStateStore(lastKnownDirectory);
        }

        var flags = section.GetSection("FeatureFlags").GetChildren().Select(child => child.Value ?? string.Empty).ToList();
        if (flags.Count > 0)
        {
            try
            {
                options.Support = SupportConfig.FromNames(flags);
            }
            catch (SupportConfigException exception)
            {
                throw Invalid($"FeatureFlags: {exception.Message}");
            }
        }

        var retry = section.GetSection("Retry");
        options.Retry.MaxRetryAttempts = ParseInt(retry, "MaxRetryAttempts", "Retry:") ?? options.Retry.MaxRetryAttempts;
        options.Retry.BaseDelay = ParseTime(retry, "BaseDelay", "Retry:") ?? options.Retry.BaseDelay;
        options.Retry.MaxDelay = ParseTime(retry, "MaxDelay", "Retry:") ?? options.Retry.MaxDelay;
        options.Retry.MaxRetryAfter = ParseTime(retry, "MaxRetryAfter", "Retry:") ?? options.Retry.MaxRetryAfter;
        options.Retry.AttemptTimeout = ParseTime(retry, "AttemptTimeout", "Retry:") ?? options.Retry.AttemptTimeout;

        var realtime = section.GetSection("Realtime");
        options.Realtime.AutoConnect = ParseBool(realtime, "AutoConnect", "Realtime:") ?? options.Realtime.AutoConnect;
        options.Realtime.PingInterval = ParseTime(realtime, "PingInterval", "Realtime:") ?? options.Realtime.PingInterval;
        options.Realtime.DeadConnectionTimeout = ParseTime(realtime, "DeadConnectionTimeout", "Realtime:") ?? options.Realtime.DeadConnectionTimeout;
        options.Realtime.ReconnectBaseDelay = ParseTime(realtime, "ReconnectBaseDelay", "Realtime:") ?? options.Realtime.ReconnectBaseDelay;
        options.Realtime.ReconnectMaxDelay = ParseTime(realtime, "ReconnectMaxDelay", "Realtime:") ?? options.Realtime.ReconnectMaxDelay;
        options.Realtime.ConnectTimeout = ParseTime(realtime, "ConnectTimeout", "Realtime:") ?? options.Realtime.ConnectTimeout;
        options.Realtime.MaxFrameBytes = ParseInt(realtime, "MaxFrameBytes", "Realtime:") ?? options.Realtime.MaxFrameBytes;
    }

    private static OptionsValidationException Invalid(string problem) =>
        new(nameof(CossistantClientOptions), typeof(CossistantClientOptions), [problem]);

    private static Uri? ParseUri(IConfiguration section, string name) =>
        section[name] is not { Length: > 0 } text
            ? null
            : Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw Invalid($"{name} \"{text}\" is not an absolute URL.");

    private static bool? ParseBool(IConfiguration section, string name, string path) =>
        section[name] is not { Length: > 0 } text
            ? null
            : bool.TryParse(text, out var value) ? value : throw Invalid($"{path}{name} \"{text}\" is not true or false.");

    private static int? ParseInt(IConfiguration section, string name, string path) =>
        section[name] is not { Length: > 0 } text
            ? null
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Invalid($"{path}{name} must be a whole number.");

    private static TimeSpan? ParseTime(IConfiguration section, string name, string path) =>
        section[name] is not { Length: > 0 } text
            ? null
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Invalid($"{path}{name} \"{text}\" is not a time span such as 00:00:30.");
}
