using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cossistant.Client.Testing.Internal;

/// <summary>The REST endpoints under <c>/v1</c>, with the upstream status codes and body shapes.</summary>
internal sealed class RestApi(EmulatorData data, SocketHub hub) : IDisposable
{
    /// <summary>
    /// Serializes "resolve a visitor's state, then send it": an event can then never go out after a newer one for
    /// the same visitor (the frames carry no version, so order is all a client has).
    /// </summary>
    private readonly SemaphoreSlim _publish = new(1, 1);

    public void Dispose() => _publish.Dispose();

    public async Task HandleAsync(HttpContext context, string body)
    {
        var request = context.Request;
        var auth = Auth.Check(data, request.Headers.Authorization, request.Headers["X-Public-Key"], request.Headers.Origin);
        if (auth.Website is not { } website)
        {
            await Responses.Text(context, auth.Status, auth.Failure!).ConfigureAwait(false);
            return;
        }

        var route = (request.Method, request.Path.Value);
        var task = route switch
        {
            ("GET", "/v1/websites") => GetWebsiteAsync(context, website),
            ("GET", "/v1/support/state") => GetStateAsync(context, website),
            ("PATCH", "/v1/support/onboarding") => PatchOnboardingAsync(context, website, body),
            ("PATCH", "/v1/support/feature-flags") => auth.IsPrivate
                ? PatchFlagsAsync(context, website, body)
                : Responses.Text(context, 401, Auth.ApiKeyRequired),
            ("POST", "/v1/contacts/identify") => IdentifyAsync(context, website, body),
            _ => Responses.Error(context, 404, "NOT_FOUND", "Route not found"),
        };
        await task.ConfigureAwait(false);
    }

    private Task GetWebsiteAsync(HttpContext context, WebsiteRecord website)
    {
        var header = context.Request.Headers["X-Visitor-Id"];
        string? requested = header.Count > 0 ? header.ToString().Trim() : null;
        if (requested is not null && !Ids.IsUlid(requested))
        {
            // Upstream stores the bad id, then fails validating its own answer.
            return Responses.Text(context, 400, "Response validation failed");
        }

        var visitor = data.UpsertVisitor(website, requested);
        var contact = data.ContactOf(visitor);
        return Responses.Json(context, 200, writer => WebsiteResponse.Write(writer, website, visitor, contact));
    }

    private async Task GetStateAsync(HttpContext context, WebsiteRecord website)
    {
        if (await RequireVisitorAsync(context, website).ConfigureAwait(false) is { } visitor)
        {
            await Responses.State(context, data.Resolve(visitor)).ConfigureAwait(false);
        }
    }

    private async Task PatchOnboardingAsync(HttpContext context, WebsiteRecord website, string body)
    {
        if (await RequireVisitorAsync(context, website).ConfigureAwait(false) is not { } visitor
            || await ReadJsonAsync(context, body).ConfigureAwait(false) is not { } json)
        {
            return;
        }

        var issues = new List<ZodIssue>();
        if (OnboardingBody.Read(json, issues) is not { } patch)
        {
            await ValidationFailedAsync(context, issues).ConfigureAwait(false);
            return;
        }

        ResolvedState state;
        await _publish.WaitAsync().ConfigureAwait(false);
        try
        {
            state = data.UpdateOnboarding(visitor, patch);

            // Upstream publishes to the calling visitor before it answers.
            await hub.SendToVisitorAsync(website.Id, visitor.Id, Frames.SupportStateUpdated(website, visitor.Id, state)).ConfigureAwait(false);
        }
        finally
        {
            _publish.Release();
        }

        await Responses.State(context, state).ConfigureAwait(false);
    }

    private async Task PatchFlagsAsync(HttpContext context, WebsiteRecord website, string body)
    {
        if (await ReadJsonAsync(context, body).ConfigureAwait(false) is not { } json)
        {
            return;
        }

        var issues = new List<ZodIssue>();
        if (FlagMutationBody.Read(json, issues) is not { } mutation)
        {
            await ValidationFailedAsync(context, issues).ConfigureAwait(false);
            return;
        }

        if (data.MutateFlags(website, mutation) is not var (own, affected))
        {
            await Responses.Error(context, 404, "NOT_FOUND", "Target not found").ConfigureAwait(false);
            return;
        }

        await Responses.Json(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("target");
            writer.WriteString("type", FlagMutationBody.TypeName(mutation.TargetType));
            writer.WriteString("id", mutation.TargetId);
            writer.WriteEndObject();
            writer.WriteStartArray("flags");
            foreach (var flag in own)
            {
                writer.WriteStringValue(flag);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }).ConfigureAwait(false);
        await context.Response.CompleteAsync().ConfigureAwait(false);

        // Every affected visitor hears about it, even when nothing changed, with its state as of sending.
        foreach (var visitorId in affected)
        {
            await PublishAsync(website, visitorId).ConfigureAwait(false);
        }
    }

    private async Task IdentifyAsync(HttpContext context, WebsiteRecord website, string body)
    {
        if (await ReadJsonAsync(context, body).ConfigureAwait(false) is not { } json)
        {
            return;
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            await ValidationFailedAsync(context, [ZodIssue.InvalidType("object", json)]).ConfigureAwait(false);
            return;
        }

        var headerId = context.Request.Headers["X-Visitor-Id"].ToString().Trim();
        var bodyId = Str(json, "visitorId");
        if (bodyId is not null && headerId.Length > 0 && bodyId != headerId)
        {
            await Responses.Error(context, 400, "BAD_REQUEST", "Visitor ID mismatch between request and X-Visitor-Id header").ConfigureAwait(false);
            return;
        }

        if (data.FindVisitor(website, bodyId ?? (headerId.Length > 0 ? headerId : null)) is not { } visitor)
        {
            await Responses.Error(context, 400, "BAD_REQUEST", "Visitor not found, please pass a valid visitorId").ConfigureAwait(false);
            return;
        }

        var externalId = Str(json, "externalId")?.Trim() is { Length: > 0 } e ? e : null;
        var email = Str(json, "email")?.Trim() is { Length: > 0 } m ? m : null;
        if (externalId is null && email is null)
        {
            await Responses.Error(context, 400, "BAD_REQUEST", "Either externalId or email is required").ConfigureAwait(false);
            return;
        }

        JsonElement? metadata = JsonFields.Get(json, "metadata") is { ValueKind: JsonValueKind.Object } md ? JsonbOrder.Canonicalize(md) : null;
        ContactRecord contact;
        try
        {
            contact = data.Identify(website, visitor, externalId, email, Str(json, "name"), Str(json, "image"), metadata, Str(json, "contactOrganizationId"));
        }
        catch (ArgumentException exception)
        {
            await Responses.Error(context, 400, "BAD_REQUEST", exception.Message).ConfigureAwait(false);
            return;
        }

        await Responses.Json(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("contact");
            Frames.WriteContact(writer, website, contact);
            writer.WriteString("visitorId", visitor.Id);
            writer.WriteEndObject();
        }).ConfigureAwait(false);
        await context.Response.CompleteAsync().ConfigureAwait(false);

        await hub.SendToVisitorAsync(website.Id, visitor.Id, Frames.VisitorIdentified(website, visitor.Id, contact), remember: false).ConfigureAwait(false);
        await PublishAsync(website, visitor.Id).ConfigureAwait(false);
    }

    /// <summary>Sends a visitor its current state (resolved when it is sent, in order with every other event).</summary>
    public async Task PublishAsync(WebsiteRecord website, string visitorId)
    {
        await _publish.WaitAsync().ConfigureAwait(false);
        try
        {
            var frame = Frames.SupportStateUpdated(website, visitorId, data.ResolveById(visitorId));
            await hub.SendToVisitorAsync(website.Id, visitorId, frame).ConfigureAwait(false);
        }
        finally
        {
            _publish.Release();
        }
    }

    /// <summary>The calling visitor (<c>X-Visitor-Id</c>); answers 400/404 and returns null when there is none.</summary>
    private async Task<VisitorRecord?> RequireVisitorAsync(HttpContext context, WebsiteRecord website)
    {
        var id = context.Request.Headers["X-Visitor-Id"].ToString().Trim();
        if (id.Length == 0)
        {
            await Responses.Error(context, 400, "BAD_REQUEST", "Visitor ID is required").ConfigureAwait(false);
            return null;
        }

        if (data.FindVisitor(website, id) is not { } visitor)
        {
            await Responses.Error(context, 404, "NOT_FOUND", "Visitor not found").ConfigureAwait(false);
            return null;
        }

        return visitor;
    }

    /// <summary>Parses the body; answers 400 "Malformed JSON in request body" and returns null when it is not JSON.</summary>
    private static async Task<JsonElement?> ReadJsonAsync(HttpContext context, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            await Responses.Text(context, 400, "Malformed JSON in request body").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>With a JSON content type upstream answers the ZodError shape; without one, bare text.</summary>
    private static Task ValidationFailedAsync(HttpContext context, IReadOnlyList<ZodIssue> issues) =>
        context.Request.ContentType?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true
            ? Responses.Validation(context, issues)
            : Responses.Text(context, 400, "Request validation failed");

    private static string? Str(JsonElement json, string name) => JsonFields.String(json, name);
}
