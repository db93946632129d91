using Cossistant.Client.Http;
using Cossistant.Client.Protocol;
using Cossistant.Client.Visitors;

namespace Cossistant.Client;

public sealed partial class CossistantClient
{
    /// <summary>
    /// Loads the website and creates or refreshes its visitor (<c>GET /websites</c>). The known visitor id (this
    /// client's, else the <see cref="CossistantClientOptions.VisitorIdStore"/>'s) is sent again, so the visitor is
    /// kept; the id the server returns is stored. A visitor the server minted anew gets a new session; the old one is
    /// disposed before this returns.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The website and its visitor.</returns>
    /// <exception cref="CossistantApiException">The call failed (see its status and code).</exception>
    public async Task<WebsiteInfo> FetchWebsiteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var knownVisitorId = _binding.Context.VisitorId;
        if (knownVisitorId is null)
        {
            var stored = await ReadStoredVisitorIdAsync(cancellationToken).ConfigureAwait(false);
            if (stored is not null && !VisitorIds.IsValid(stored))
            {
                Log.InvalidStoredVisitorId(_runtime.Logger);
                stored = null;
            }

            knownVisitorId = stored;
        }

        var website = await _runtime.Http.SendAsync(
            ApiOperation.FetchWebsite, knownVisitorId, (object?)null, null, CossistantJsonContext.Default.WebsiteInfo, cancellationToken)
            .ConfigureAwait(false);

        var visitorId = website.Visitor?.Id ?? knownVisitorId;
        var blocked = website.Visitor?.IsBlocked ?? false;
        if (visitorId is not null && website.Visitor?.Contact?.Id is { } contactId)
        {
            _runtime.Cache.GetOrAdd(visitorId).ContactId = contactId; // a flag change of the contact then refreshes it
        }

        await BindAsync(new WebsiteContext(website.Id, visitorId, blocked, website)).ConfigureAwait(false);
        Log.WebsiteLoaded(_runtime.Logger, website.Id, visitorId, blocked);
        if (website.Visitor?.Id is { } returned && VisitorIds.IsValid(returned))
        {
            try
            {
                await _visitorIds.SetVisitorIdAsync(returned, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.VisitorIdStoreFailed(_runtime.Logger, exception);
            }
        }

        return website;
    }

    /// <summary>The stored visitor id; a store that fails (blocked storage, a locked file) counts as none, logged.</summary>
    private async Task<string?> ReadStoredVisitorIdAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _visitorIds.GetVisitorIdAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.VisitorIdReadFailed(_runtime.Logger, exception);
            return null;
        }
    }

    /// <summary>
    /// Sets the website and visitor without <see cref="FetchWebsiteAsync"/>, for use with a known visitor. A
    /// different visitor than before gets a new session, swapped in atomically; the task completes once the old
    /// visitor's session (its socket and background work) is disposed.
    /// </summary>
    /// <param name="websiteId">The website id.</param>
    /// <param name="visitorId">The visitor id (a ULID), or <see langword="null"/> for none.</param>
    /// <returns>A task that completes when the old visitor's session is disposed.</returns>
    /// <exception cref="ArgumentException">An id is empty, or the visitor id is not a ULID.</exception>
    public Task SetWebsiteContextAsync(string websiteId, string? visitorId)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ArgumentException.ThrowIfNullOrWhiteSpace(websiteId);
        if (visitorId is not null)
        {
            VisitorIds.ThrowIfInvalid(visitorId, nameof(visitorId));
        }

        return BindAsync(new WebsiteContext(websiteId, visitorId, false, null));
    }
}
