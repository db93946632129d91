using Cossistant.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks of Cossistant registrations.</summary>
public static class CossistantHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="CossistantHealthCheck"/> of an <c>AddCossistant</c> registration: Unhealthy when the server
    /// refused the keys, Degraded while a realtime socket reconnects or when a shown state is older than
    /// <paramref name="maxStateAge"/>, Healthy otherwise; the description says why. It sends no request.
    /// </summary>
    /// <param name="builder">The health checks.</param>
    /// <param name="name">The check's name; default <c>cossistant</c>.</param>
    /// <param name="registration">The named <c>AddCossistant("name", ...)</c> registration to check; default the unnamed one.</param>
    /// <param name="maxStateAge">The state age past which the check is Degraded; default 2 minutes.</param>
    /// <param name="failureStatus">What a refusal reports; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (e.g. <c>ready</c>).</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCossistant(
        this IHealthChecksBuilder builder,
        string name = "cossistant",
        string? registration = null,
        TimeSpan? maxStateAge = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = new CossistantHealthCheckOptions();
        if (maxStateAge is { } age)
        {
            options.MaxStateAge = age > TimeSpan.Zero
                ? age
                : throw new ArgumentOutOfRangeException(nameof(maxStateAge), age, "The state age threshold must be positive.");
        }

        return builder.Add(new HealthCheckRegistration(
            name,
            provider => new CossistantHealthCheck(
                registration is null
                    ? provider.GetRequiredService<CossistantSessionFactory>()
                    : provider.GetRequiredKeyedService<CossistantSessionFactory>(registration),
                options),
            failureStatus,
            tags));
    }
}
