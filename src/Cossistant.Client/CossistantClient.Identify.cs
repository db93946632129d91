using Cossistant.Client.Protocol;

namespace Cossistant.Client;

public sealed partial class CossistantClient
{
    /// <summary>
    /// Links the visitor to a contact (<c>POST /contacts/identify</c>), then reloads the support state (the
    /// contact's onboarding wins once linked; the visitor's is copied to a contact that has none).
    /// </summary>
    /// <param name="request">Who the visitor is: at least an external id or an email.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contact and visitor id.</returns>
    /// <exception cref="ArgumentException">Neither an external id nor an email, or another visitor id in the request.</exception>
    /// <exception cref="InvalidOperationException">No visitor yet (call <see cref="FetchWebsiteAsync"/>).</exception>
    /// <exception cref="CossistantException">The visitor is blocked, or a call failed.</exception>
    public async Task<IdentifyResult> IdentifyAsync(IdentifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.ExternalId) && string.IsNullOrWhiteSpace(request.Email))
        {
            throw new ArgumentException("IdentifyAsync needs an ExternalId or an Email.", nameof(request));
        }

        var visitorId = RequireVisitor(nameof(IdentifyAsync));
        if (request.VisitorId is not null && !string.Equals(request.VisitorId, visitorId, StringComparison.Ordinal))
        {
            throw new ArgumentException("request.VisitorId differs from the client's visitor; leave it unset.", nameof(request));
        }

        IdentifyResult result;
        await _lane.WaitAsync(cancellationToken).ConfigureAwait(false); // it changes which onboarding the visitor sees
        try
        {
            result = await _http.SendAsync(
                HttpMethod.Post,
                "/contacts/identify",
                visitorId,
                request with { VisitorId = visitorId },
                CossistantJsonContext.Default.IdentifyRequest,
                CossistantJsonContext.Default.IdentifyResult,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lane.Release();
        }

        var context = _context;
        if (context.Website is { Visitor: { } visitor } website && string.Equals(visitor.Id, visitorId, StringComparison.Ordinal))
        {
            _context = context with { Website = website with { Visitor = visitor with { Contact = result.Contact } } };
        }

        await FetchSupportStateAsync(force: true, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
