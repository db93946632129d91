using System.Diagnostics.Metrics;
using System.Text;
using Cossistant.Client.Http;
using Microsoft.Extensions.Logging;

namespace Cossistant.Client;

/// <summary>
/// Settings of a <see cref="CossistantClient"/>. Validated when the client is created (or when the host starts,
/// with <c>AddCossistant</c>); every message names the field and the fix. <see cref="ToString"/> never shows keys.
/// </summary>
public sealed class CossistantClientOptions
{
    /// <summary>The default REST base, <c>https://api.cossistant.com/v1</c>.</summary>
    public static readonly Uri DefaultApiUrl = new("https://api.cossistant.com/v1");

    /// <summary>The default realtime endpoint, <c>wss://api.cossistant.com/ws</c>.</summary>
    public static readonly Uri DefaultRealtimeUrl = new("wss://api.cossistant.com/ws");

    /// <summary>The REST base URL, including the version segment. Default <see cref="DefaultApiUrl"/>.</summary>
    public Uri ApiUrl { get; set; } = DefaultApiUrl;

    /// <summary>The realtime WebSocket URL (at the API root, not under <c>/v1</c>). Default <see cref="DefaultRealtimeUrl"/>.</summary>
    public Uri RealtimeUrl { get; set; } = DefaultRealtimeUrl;

    /// <summary>
    /// The website's public key (<c>pk_</c> or <c>pk_test_</c> + 64 hex), for visitor-facing apps. Requires
    /// <see cref="Origin"/>. Sent as the <c>X-Public-Key</c> header only.
    /// </summary>
    public string? PublicKey { get; set; }

    /// <summary>
    /// The private API key (<c>sk_</c> or <c>sk_test_</c> + 64 hex), for server-side use only: it is required for
    /// feature-flag mutations and wins over the public key. Sent as <c>Authorization: Bearer</c> only.
    /// </summary>
    public string? PrivateApiKey { get; set; }

    /// <summary>
    /// The <c>Origin</c> header, e.g. <c>https://app.example.com</c>: the server requires it with a public key and
    /// checks its host against the website's allowlist. Default none.
    /// </summary>
    public string? Origin { get; set; }

    /// <summary>
    /// The team member a private-key realtime connection acts for (<c>X-Actor-User-Id</c>), needed when the key is
    /// not linked to a team member. Default none.
    /// </summary>
    public string? ActorUserId { get; set; }

    /// <summary>The app's declared flags and onboarding steps. Default <see cref="SupportConfig.Empty"/>.</summary>
    public SupportConfig Support { get; set; } = SupportConfig.Empty;

    /// <summary>Where the visitor id is kept between runs. Default: a new <see cref="InMemoryVisitorIdStore"/>.</summary>
    public IVisitorIdStore VisitorIdStore { get; set; } = new InMemoryVisitorIdStore();

    /// <summary>The clock and timers for retries, timeouts and heartbeats. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the client logs; keys are never logged. Default none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Where the client's metrics go: a meter from this factory (DI's <see cref="IMeterFactory"/> when registered with
    /// <c>AddCossistant</c>), else one process-wide meter. Either is named <see cref="CossistantDiagnostics.MeterName"/>.
    /// Default none.
    /// </summary>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>
    /// Whether trace spans carry the visitor id (<c>cossistant.visitor.id</c>). Off by default: a visitor id identifies
    /// a person's browser or device, so turn it on only where your traces may hold personal data.
    /// </summary>
    public bool TraceVisitorIds { get; set; }

    /// <summary>
    /// How long a visitor's state learned by this process counts as fresh. Within it, cached reads
    /// (<see cref="ICossistantServerClient.GetCachedVisitorSupportStateAsync"/>, a new session's first fetch) send no
    /// request; after it, sessions without a realtime socket are refreshed in the background. A sweep every quarter
    /// of it finds the states that reached it, so a state is served at most one and a quarter times it. Changes made
    /// through this process refresh the affected visitors at once. Default 30 s.
    /// </summary>
    public TimeSpan StateTimeToLive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How REST calls are retried.</summary>
    public CossistantRetryOptions Retry { get; set; } = new();

    /// <summary>How the realtime socket is kept alive and reconnected.</summary>
    public CossistantRealtimeOptions Realtime { get; set; } = new();

    /// <summary>Checks the options and returns every problem; empty when they are valid.</summary>
    /// <returns>The problems, each naming the field and the fix.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        CheckUrl(problems, nameof(ApiUrl), ApiUrl, "http", "https", DefaultApiUrl);
        CheckUrl(problems, nameof(RealtimeUrl), RealtimeUrl, "ws", "wss", DefaultRealtimeUrl);

        var hasPublic = !string.IsNullOrEmpty(PublicKey);
        var hasPrivate = !string.IsNullOrEmpty(PrivateApiKey);
        if (!hasPublic && !hasPrivate)
        {
            problems.Add(
                "No API key: set PublicKey (pk_...) for a visitor-facing app, or PrivateApiKey (sk_...) for server-side use.");
        }

        if (hasPublic && !ApiKeyFormat.IsPublicKey(PublicKey!))
        {
            problems.Add("PublicKey is not a Cossistant public key: expected \"pk_\" or \"pk_test_\" followed by 64 hex characters. "
                + (PublicKey!.StartsWith("sk_", StringComparison.Ordinal) ? "It looks like a private key: put it in PrivateApiKey." : "Copy it again from the dashboard."));
        }

        if (hasPrivate && !ApiKeyFormat.IsPrivateKey(PrivateApiKey!))
        {
            problems.Add("PrivateApiKey is not a Cossistant private key: expected \"sk_\" or \"sk_test_\" followed by 64 hex characters. "
                + (PrivateApiKey!.StartsWith("pk_", StringComparison.Ordinal) ? "It looks like a public key: put it in PublicKey." : "Copy it again from the dashboard."));
        }

        if (hasPublic && !hasPrivate && string.IsNullOrWhiteSpace(Origin))
        {
            problems.Add("Origin is required with PublicKey: the server rejects public-key requests without an Origin header. "
                + "Set Origin to your site's URL, e.g. \"https://app.example.com\", whose domain is on the website's allowlist.");
        }

        if (!string.IsNullOrWhiteSpace(Origin)
            && (!Uri.TryCreate(Origin, UriKind.Absolute, out var origin) || (origin.Scheme != Uri.UriSchemeHttp && origin.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"Origin \"{Origin}\" is not an absolute http(s) URL: use the form \"https://app.example.com\".");
        }

        if (Support is null)
        {
            problems.Add("Support must not be null: use SupportConfig.Empty when the app declares no flags or steps.");
        }

        if (VisitorIdStore is null)
        {
            problems.Add("VisitorIdStore must not be null: use new InMemoryVisitorIdStore() or new FileVisitorIdStore(path).");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must not be null: use TimeProvider.System.");
        }

        if (StateTimeToLive < TimeSpan.FromSeconds(1) || StateTimeToLive > TimeSpan.FromDays(1))
        {
            problems.Add("StateTimeToLive must be between 1 second and 1 day.");
        }

        if (Retry is null)
        {
            problems.Add("Retry must not be null.");
        }
        else
        {
            problems.AddRange(Retry.Validate());
        }

        if (Realtime is null)
        {
            problems.Add("Realtime must not be null.");
        }
        else
        {
            problems.AddRange(Realtime.Validate());
        }

        return problems;
    }

    /// <summary>Describes the options with every key redacted.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => new StringBuilder("CossistantClientOptions { ")
        .Append("ApiUrl = ").Append(ApiUrl)
        .Append(", RealtimeUrl = ").Append(RealtimeUrl)
        .Append(", PublicKey = ").Append(Redact(PublicKey))
        .Append(", PrivateApiKey = ").Append(Redact(PrivateApiKey))
        .Append(", Origin = ").Append(Origin ?? "(none)")
        .Append(", ActorUserId = ").Append(ActorUserId ?? "(none)")
        .Append(", Support = ").Append(Support?.FeatureFlags.Length ?? 0).Append(" flags/")
        .Append(Support?.OnboardingSteps.Length ?? 0).Append(" steps")
        .Append(" }")
        .ToString();

    /// <summary>A copy, so later changes to these options do not reach a running client.</summary>
    internal CossistantClientOptions Clone() => new()
    {
        ApiUrl = ApiUrl,
        RealtimeUrl = RealtimeUrl,
        PublicKey = PublicKey,
        PrivateApiKey = PrivateApiKey,
        Origin = Origin,
        ActorUserId = ActorUserId,
        Support = Support,
        VisitorIdStore = VisitorIdStore,
        TimeProvider = TimeProvider,
        LoggerFactory = LoggerFactory,
        MeterFactory = MeterFactory,
        TraceVisitorIds = TraceVisitorIds,
        StateTimeToLive = StateTimeToLive,
        Retry = new CossistantRetryOptions
        {
            MaxRetryAttempts = Retry.MaxRetryAttempts,
            BaseDelay = Retry.BaseDelay,
            MaxDelay = Retry.MaxDelay,
            MaxRetryAfter = Retry.MaxRetryAfter,
            AttemptTimeout = Retry.AttemptTimeout,
        },
        Realtime = Realtime.Clone(),
    };

    internal IReadOnlyList<string> Secrets() =>
        [.. new[] { PublicKey, PrivateApiKey }.Where(key => !string.IsNullOrEmpty(key)).Select(key => key!)];

    internal void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid CossistantClientOptions: " + string.Join(" ", problems), "options");
        }
    }

    private static string Redact(string? key) => key switch
    {
        null or "" => "(none)",
        _ when key.StartsWith("pk_test_", StringComparison.Ordinal) => "pk_test_[redacted]",
        _ when key.StartsWith("sk_test_", StringComparison.Ordinal) => "sk_test_[redacted]",
        _ when key.StartsWith("pk_", StringComparison.Ordinal) => "pk_[redacted]",
        _ when key.StartsWith("sk_", StringComparison.Ordinal) => "sk_[redacted]",
        _ => "[redacted]",
    };

    private static void CheckUrl(List<string> problems, string name, Uri? url, string plain, string secure, Uri example)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != plain && url.Scheme != secure))
        {
            problems.Add($"{name} must be an absolute {plain}:// or {secure}:// URL, e.g. \"{example}\"; got \"{url}\".");
        }
        else if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            problems.Add($"{name} must not have a query or fragment (credentials go in headers, never in URLs).");
        }
    }
}
