using System.Globalization;
using Cossistant.Client;
using Cossistant.Client.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="CossistantClient"/> in a service collection.</summary>
public static class CossistantServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the client uses (configure it with the returned builder).</summary>
    public const string HttpClientName = "Cossistant.Client";

    /// <summary>
    /// Registers a singleton <see cref="CossistantClient"/> configured by a delegate. The options are validated when
    /// the host starts (and at the latest when the client is first resolved), with messages that name each field.
    /// The client uses <see cref="IHttpClientFactory"/>, the container's <see cref="ILoggerFactory"/> and, when
    /// registered, its <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the client's <see cref="HttpClient"/>, to add handlers.</returns>
    public static IHttpClientBuilder AddCossistant(this IServiceCollection services, Action<CossistantClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<CossistantClientOptions>().Configure(configure).ValidateOnStart();
        return AddCore(services);
    }

    /// <summary>
    /// Registers a singleton <see cref="CossistantClient"/> configured from a configuration section, e.g.
    /// <c>builder.Configuration.GetSection("Cossistant")</c> with keys <c>ApiUrl</c>, <c>RealtimeUrl</c>,
    /// <c>PublicKey</c>, <c>PrivateApiKey</c>, <c>Origin</c>, <c>ActorUserId</c>, <c>FeatureFlags</c> (a list) and
    /// <c>Retry:MaxRetryAttempts</c>/<c>BaseDelay</c>/<c>MaxDelay</c>/<c>MaxRetryAfter</c>/<c>AttemptTimeout</c>.
    /// Keep keys in user secrets or the environment, not in appsettings.json.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The configuration section.</param>
    /// <param name="configure">Further settings applied after the section (e.g. <c>Support</c>).</param>
    /// <returns>The builder of the client's <see cref="HttpClient"/>, to add handlers.</returns>
    public static IHttpClientBuilder AddCossistant(
        this IServiceCollection services, IConfiguration section, Action<CossistantClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<CossistantClientOptions>()
            .Configure(options =>
            {
                Bind(section, options);
                configure?.Invoke(options);
            })
            .ValidateOnStart();
        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CossistantClientOptions>, CossistantOptionsValidator>());
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<CossistantClientOptions>>().Value.Clone();
            options.LoggerFactory ??= provider.GetService<ILoggerFactory>();
            if (ReferenceEquals(options.TimeProvider, TimeProvider.System) && provider.GetService<TimeProvider>() is { } time)
            {
                options.TimeProvider = time;
            }

            var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new CossistantClient(options, http);
        });

        return services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
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

        options.Retry.BaseDelay = ParseTime(retry, "BaseDelay") ?? options.Retry.BaseDelay;
        options.Retry.MaxDelay = ParseTime(retry, "MaxDelay") ?? options.Retry.MaxDelay;
        options.Retry.MaxRetryAfter = ParseTime(retry, "MaxRetryAfter") ?? options.Retry.MaxRetryAfter;
        options.Retry.AttemptTimeout = ParseTime(retry, "AttemptTimeout") ?? options.Retry.AttemptTimeout;
    }

    private static Uri ParseUri(string value, string name) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new OptionsValidationException(
                nameof(CossistantClientOptions), typeof(CossistantClientOptions), [$"{name} \"{value}\" is not an absolute URL."]);

    private static TimeSpan? ParseTime(IConfiguration section, string name) =>
        section[name] is not { Length: > 0 } text
            ? null
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new OptionsValidationException(
                    nameof(CossistantClientOptions), typeof(CossistantClientOptions), [$"Retry:{name} \"{text}\" is not a time span such as 00:00:30."]);
}
