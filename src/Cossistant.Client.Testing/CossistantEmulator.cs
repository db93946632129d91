using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cossistant.Client.Testing.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cossistant.Client.Testing;

/// <summary>
/// An in-process Cossistant API on <c>127.0.0.1</c> (an ephemeral port): the support-state REST endpoints and the
/// realtime socket, with the upstream rules, status codes and body shapes; seeding, inspection and
/// <see cref="Faults"/> for tests. Point any Cossistant client at <see cref="ApiUrl"/> and <see cref="RealtimeUrl"/>.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await CossistantEmulator.StartAsync();
/// await using var client = new CossistantClient(emulator.CreateClientOptions());
/// await client.FetchWebsiteAsync();
/// </code>
/// </example>
public sealed partial class CossistantEmulator : IAsyncDisposable
{
    /// <summary>The Origin <see cref="CreateClientOptions"/> uses; <c>localhost</c> is on the default website's allowlist.</summary>
    public const string DefaultOrigin = "http://localhost:3000";

    private readonly WebApplication _app;
    private readonly EmulatorData _data;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private CossistantEmulator(WebApplication app, EmulatorData data, TimeProvider time)
    {
        _app = app;
        _data = data;
        Hub = new SocketHub();
        Faults = new EmulatorFaults(this);
        Rest = new RestApi(data, Hub);
        Realtime = new RealtimeEndpoint(data, Hub, Faults, time);
    }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:5123</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The REST base to use as <see cref="CossistantClientOptions.ApiUrl"/> (<c>…/v1</c>).</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>The socket URL to use as <see cref="CossistantClientOptions.RealtimeUrl"/> (<c>ws://…/ws</c>).</summary>
    public Uri RealtimeUrl { get; private set; } = null!;

    /// <summary>The website created at start (name "Acme", allowlist <c>localhost</c> and <c>example.com</c>).</summary>
    public EmulatedWebsite DefaultWebsite { get; private set; } = null!;

    /// <summary>Fault injection switches.</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>Every request received, in order (REST and socket upgrades).</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>How many realtime sockets are open.</summary>
    public int OpenSockets => Hub.Count;

    internal SocketHub Hub { get; }

    private RestApi Rest { get; }

    private RealtimeEndpoint Realtime { get; }

    /// <summary>Client options pointed at this emulator, with a website's keys and an allowlisted Origin.</summary>
    /// <param name="website">The website; default <see cref="DefaultWebsite"/>.</param>
    /// <param name="privateKey">Use the private key (server-side) instead of the public key.</param>
    /// <returns>New options; set <c>Support</c> and anything else before creating the client.</returns>
    public CossistantClientOptions CreateClientOptions(EmulatedWebsite? website = null, bool privateKey = false)
    {
        website ??= DefaultWebsite;
        return new CossistantClientOptions
        {
            ApiUrl = ApiUrl,
            RealtimeUrl = RealtimeUrl,
            PublicKey = privateKey ? null : website.PublicKey,
            PrivateApiKey = privateKey ? website.PrivateApiKey : null,
            Origin = DefaultOrigin,
        };
    }

    /// <summary>Creates a website with fresh keys.</summary>
    /// <param name="name">The name.</param>
    /// <param name="domain">The main domain.</param>
    /// <param name="allowedDomains">The Origin allowlist; default <paramref name="domain"/> and <c>localhost</c>.</param>
    /// <returns>The website.</returns>
    public EmulatedWebsite CreateWebsite(string name, string domain, IEnumerable<string>? allowedDomains = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        var site = _data.AddWebsite(name, domain, allowedDomains ?? [domain, "localhost"]);
        return ToPublic(site);
    }

    /// <summary>Creates a visitor (as a first <c>GET /websites</c> would).</summary>
    /// <param name="websiteId">The website; default <see cref="DefaultWebsite"/>.</param>
    /// <returns>The visitor id.</returns>
    public string CreateVisitor(string? websiteId = null) => _data.UpsertVisitor(Website(websiteId), null).Id;

    /// <summary>Creates a contact.</summary>
    /// <param name="externalId">The app's own user id.</param>
    /// <param name="email">The email.</param>
    /// <param name="contactOrganizationId">The organization, if any.</param>
    /// <param name="websiteId">The website; default <see cref="DefaultWebsite"/>.</param>
    /// <returns>The contact.</returns>
    public EmulatedContact CreateContact(string? externalId = null, string? email = null, string? contactOrganizationId = null, string? websiteId = null)
    {
        var contact = _data.AddContact(Website(websiteId), externalId, email, null, contactOrganizationId);
        return new EmulatedContact(contact.Id, contact.WebsiteId, contact.ExternalId, contact.Email, contact.ContactOrganizationId);
    }

    /// <summary>Creates a contact organization.</summary>
    /// <param name="name">The name.</param>
    /// <param name="websiteId">The website; default <see cref="DefaultWebsite"/>.</param>
    /// <returns>The organization.</returns>
    public EmulatedContactOrganization CreateContactOrganization(string name, string? websiteId = null)
    {
        var organization = _data.AddOrganization(Website(websiteId), name);
        return new EmulatedContactOrganization(organization.Id, organization.WebsiteId, organization.Name);
    }

    /// <summary>Links a visitor to a contact, with the identify copy rule; sends no event.</summary>
    /// <param name="visitorId">The visitor.</param>
    /// <param name="contactId">The contact.</param>
    public void LinkVisitor(string visitorId, string contactId) => _data.Link(visitorId, contactId);

    /// <summary>Moves a contact into (or, with null, out of) an organization. Like upstream, sends no event.</summary>
    /// <param name="contactId">The contact.</param>
    /// <param name="contactOrganizationId">The organization, or null.</param>
    public void SetContactOrganization(string contactId, string? contactOrganizationId) => _data.SetContactOrganization(contactId, contactOrganizationId);

    /// <summary>Blocks or unblocks a visitor (seen by the next <c>GET /websites</c>).</summary>
    /// <param name="visitorId">The visitor.</param>
    /// <param name="blocked">Whether blocked.</param>
    public void SetVisitorBlocked(string visitorId, bool blocked) => _data.SetBlocked(visitorId, blocked);

    /// <summary>The state <c>GET /support/state</c> would answer for a visitor.</summary>
    /// <param name="visitorId">The visitor.</param>
    /// <returns>The resolved state.</returns>
    public SupportState GetSupportState(string visitorId) => _data.ResolveById(visitorId).ToPublic();

    /// <summary>A target's own stored flags (not the union a visitor sees).</summary>
    /// <param name="target">The visitor, contact or organization.</param>
    /// <returns>The flags.</returns>
    /// <exception cref="ArgumentException">No such target.</exception>
    public ImmutableArray<string> GetOwnFeatureFlags(FeatureFlagTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return _data.OwnFlags(target) ?? throw new ArgumentException($"No {target.Type} \"{target.Id}\".", nameof(target));
    }

    /// <summary>A visitor's or contact's stored onboarding; null while it has none.</summary>
    /// <param name="type">Visitor or contact.</param>
    /// <param name="id">Its id.</param>
    /// <returns>The stored onboarding.</returns>
    public OnboardingState? GetStoredOnboarding(FeatureFlagTargetType type, string id) => _data.StoredOnboardingOf(type, id)?.ToPublic();

    /// <summary>How many open sockets belong to a visitor.</summary>
    /// <param name="visitorId">The visitor.</param>
    /// <returns>The count.</returns>
    public int OpenSocketsFor(string visitorId) => Hub.CountFor(visitorId);

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests() => _requests.Clear();

    /// <summary>Stops the server and closes every socket.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        FailRequestWaiters();
        Hub.DropAll();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await PublishedAsync().ConfigureAwait(false);
        Rest.Dispose();
    }

    internal async Task<int> PushStateAsync(string visitorId, SupportState state)
    {
        var visitor = _data.RequireVisitor(visitorId);
        var frame = Frames.SupportStateUpdated(_data.RequireWebsite(visitor.WebsiteId), visitorId, ResolvedState.FromPublic(state));
        return await Hub.SendToVisitorAsync(visitor.WebsiteId, visitorId, frame).ConfigureAwait(false);
    }

    /// <summary>Sends a frame to a visitor's sockets in its own website; 0 for an unknown visitor.</summary>
    internal Task<int> SendToVisitorAsync(string visitorId, string frame, bool remember) =>
        _data.WebsiteOf(visitorId) is { } websiteId ? Hub.SendToVisitorAsync(websiteId, visitorId, frame, remember) : Task.FromResult(0);

    private static EmulatedWebsite ToPublic(WebsiteRecord site) =>
        new(site.Id, site.OrganizationId, site.Name, site.Domain, site.PublicKey, site.PrivateKey, site.AllowedDomains);

    private WebsiteRecord Website(string? id) => _data.RequireWebsite(id ?? DefaultWebsite.Id);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = string.Empty;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(request.Body);
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var headers = request.Headers.ToImmutableDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        void Record(int status) =>
            this.Record(new RecordedRequest(request.Method, request.Path.Value!, request.QueryString.Value ?? string.Empty, headers, body, status));

        if (request.Path == "/ws")
        {
            await Realtime.HandleAsync(context, Record).ConfigureAwait(false);
            return;
        }

        Cors.AllowAnyOrigin(context.Response);
        if (Cors.IsPreflight(request))
        {
            await Cors.PreflightAsync(context).ConfigureAwait(false);
            Record(context.Response.StatusCode);
            return;
        }

        if (Faults.TakeDelay() is { } delay)
        {
            await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
        }

        if (!request.Path.StartsWithSegments("/v1"))
        {
            await Responses.Error(context, 404, "NOT_FOUND", "Route not found").ConfigureAwait(false);
        }
        else if (Faults.TakeFailure(request.Path.Value!) is { } failure)
        {
            await Responses.Text(context, failure.Status, failure.Body, failure.ContentType).ConfigureAwait(false);
        }
        else
        {
            AddRateLimitHeaders(context.Response);
            await Rest.HandleAsync(context, body).ConfigureAwait(false);
        }

        Record(context.Response.StatusCode);
    }

    private static void AddRateLimitHeaders(HttpResponse response)
    {
        response.Headers["RateLimit-Policy"] = "300;w=60";
        response.Headers["RateLimit-Limit"] = "300";
        response.Headers["RateLimit-Remaining"] = "299";
        response.Headers["RateLimit-Reset"] = "60";
    }
}
