using System.Globalization;
using Cossistant.Client.Sessions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cossistant.Client;

/// <summary>
/// The health of one Cossistant registration (a <see cref="CossistantSessionFactory"/> and everything built on it):
/// <list type="bullet">
/// <item><description>Unhealthy (or the registration's failure status) when the server refused the keys on the last
/// answer about them (HTTP 401 or 403), or refused a realtime socket's credentials for good;</description></item>
/// <item><description>Degraded when a session's realtime socket is reconnecting, or when the oldest state a session
/// shows was last confirmed by the server longer ago than <see cref="CossistantHealthCheckOptions.MaxStateAge"/>;</description></item>
/// <item><description>Healthy otherwise.</description></item>
/// </list>
/// The description says why; the data carries the counts. It reads what the client already knows and sends no request.
/// Register it with <c>services.AddHealthChecks().AddCossistant()</c> (package Cossistant.Client.AspNetCore), or
/// construct it yourself.
/// </summary>
public sealed class CossistantHealthCheck : IHealthCheck
{
    private readonly CossistantRuntime _runtime;
    private readonly CossistantHealthCheckOptions _options;

    /// <summary>Creates the check of a factory's registration with the default thresholds.</summary>
    /// <param name="factory">The factory (the DI singleton of <c>AddCossistant</c>).</param>
    public CossistantHealthCheck(CossistantSessionFactory factory)
        : this(factory, new CossistantHealthCheckOptions())
    {
    }

    /// <summary>Creates the check of a factory's registration.</summary>
    /// <param name="factory">The factory (the DI singleton of <c>AddCossistant</c>).</param>
    /// <param name="options">The thresholds.</param>
    /// <exception cref="ArgumentOutOfRangeException">The state age threshold is not positive.</exception>
    public CossistantHealthCheck(CossistantSessionFactory factory, CossistantHealthCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxStateAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxStateAge, "MaxStateAge must be positive.");
        }

        _runtime = factory.Runtime;
        _options = options;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(Check(context.Registration?.FailureStatus ?? HealthStatus.Unhealthy));
    }

    private HealthCheckResult Check(HealthStatus failureStatus)
    {
        var realtime = _runtime.Health.RealtimeStates();
        var reconnecting = realtime.Where(state => state.Status == RealtimeConnectionStatus.Reconnecting).ToList();
        var refusedSocket = realtime.FirstOrDefault(state => state.Status == RealtimeConnectionStatus.Disconnected && state.IsPermanentFailure);
        var age = _runtime.Cache.OldestWatchedStateAge();
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["realtimeConnections"] = realtime.Count,
            ["realtimeConnected"] = realtime.Count(state => state.Status == RealtimeConnectionStatus.Connected),
            ["realtimeReconnecting"] = reconnecting.Count,
        };
        if (age is { } known)
        {
            data["oldestStateAgeSeconds"] = Math.Round(known.TotalSeconds, 3);
        }

        if (_runtime.IsDisposed)
        {
            return new HealthCheckResult(failureStatus, "The Cossistant client was stopped (its factory is disposed).", data: data);
        }

        if (_runtime.Health.Refusal is { } refusal)
        {
            return new HealthCheckResult(failureStatus, $"The server refused the keys (HTTP {refusal.StatusCode}): {refusal.Message}", data: data);
        }

        if (refusedSocket is not null)
        {
            return new HealthCheckResult(
                failureStatus, "The realtime server refused the credentials: " + (refusedSocket.LastError?.Message ?? "closed for good"), data: data);
        }

        if (reconnecting.Count > 0)
        {
            var reason = reconnecting[0].LastError?.Message;
            return HealthCheckResult.Degraded(
                $"Realtime is reconnecting ({reconnecting.Count} of {realtime.Count} connections)" + (reason is null ? "." : ": " + reason), data: data);
        }

        if (age > _options.MaxStateAge)
        {
            return HealthCheckResult.Degraded(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "The oldest support state a session shows was confirmed {0:0.#} s ago (more than {1:0.#} s).",
                    age.Value.TotalSeconds,
                    _options.MaxStateAge.TotalSeconds),
                data: data);
        }

        return HealthCheckResult.Healthy(
            string.Format(
                CultureInfo.InvariantCulture,
                "No key refused; {0} of {1} realtime connections connected; oldest state {2}.",
                data["realtimeConnected"],
                realtime.Count,
                age is { } value ? value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s" : "none"),
            data);
    }
}

/// <summary>Thresholds of a <see cref="CossistantHealthCheck"/>.</summary>
public sealed class CossistantHealthCheckOptions
{
    /// <summary>
    /// Past this age (time since the server last confirmed it; a connected socket confirms continuously), the oldest
    /// state a session shows makes the check Degraded. Default 2 minutes (four times the default state time to live).
    /// </summary>
    public TimeSpan MaxStateAge { get; set; } = TimeSpan.FromMinutes(2);
}
