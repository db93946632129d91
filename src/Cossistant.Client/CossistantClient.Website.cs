using Cossistant.Client.Protocol;
using Cossistant.Client.Visitors;

namespace Cossistant.Client;

public sealed partial class CossistantClient
{
    /// <summary>
    /// Loads the website and creates or refreshes its visitor (<c>GET /websites</c>). The known visitor id (this
    /// client's, else the <see cref="CossistantClientOptions.VisitorIdStore"/>'s) is sent again, so the visitor is
    /// kept; the id the server returns is stored.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The website and its visitor.</returns>
    /// <exception cref="CossistantApiException">The call failed (see its status and code).</exception>
    public async Task<WebsiteInfo> FetchWebsiteAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var knownVisitorId = _context.VisitorId;
        if (knownVisitorId is null)
        {
            var stored = await _options.VisitorIdStore.GetVisitorIdAsync(cancellationToken).ConfigureAwait(false);
            if (stored is not null && !VisitorIds.IsValid(stored))
            {
                Log.InvalidStoredVisitorId(_logger);
                stored = null;
            }

            knownVisitorId = stored;
        }

        var website = await _http.SendAsync(
            HttpMethod.Get, "/websites", knownVisitorId, (object?)null, null, CossistantJsonContext.Default.WebsiteInfo, cancellationToken)
            .ConfigureAwait(false);

        var visitorId = website.Visitor?.Id ?? knownVisitorId;
        SetContext(new WebsiteContext(website.Id, visitorId, website.Visitor?.IsBlocked ?? false, website));
        Log.WebsiteLoaded(_logger, website.Id, visitorId, website.Visitor?.IsBlocked ?? false);
        if (website.Visitor?.Id is { } returned && VisitorIds.IsValid(returned))
        {
            try
            {
                await _options.VisitorIdStore.SetVisitorIdAsync(returned, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.VisitorIdStoreFailed(_logger, exception);
            }
        }

        return website;
    }

    /// <summary>
    /// Sets the website and visitor without <see cref="FetchWebsiteAsync"/>, for server-side use with a known
    /// visitor. A different visitor than before clears the local support state.
    /// </summary>
    /// <param name="websiteId">The website id.</param>
    /// <param name="visitorId">The visitor id (a ULID), or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">An id is empty, or the visitor id is not a ULID.</exception>
    public void SetWebsiteContext(string websiteId, string? visitorId)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrWhiteSpace(websiteId);
        if (visitorId is not null && !VisitorIds.IsValid(visitorId))
        {
            throw new ArgumentException(
                "The visitor id must be a ULID as the API issues it: 26 characters of upper-case Crockford base32.",
                nameof(visitorId));
        }

        SetContext(new WebsiteContext(websiteId, visitorId, false, null));
    }

    private void SetContext(WebsiteContext next)
    {
        var previous = _context;
        _context = next;
        var visitorChanged = !string.Equals(previous.VisitorId, next.VisitorId, StringComparison.Ordinal);
        if (visitorChanged && previous.VisitorId is not null)
        {
            _store.Reset();
        }

        var realtime = Volatile.Read(ref _realtimeConnection);
        if (visitorChanged && realtime is { IsRunning: true })
        {
            _ = realtime.Restart(next.VisitorId); // the socket's credentials name the visitor
        }
        else if (_options.Realtime.AutoConnect && next.VisitorId is not null && !next.IsBlocked && Volatile.Read(ref _disposed) == 0)
        {
            Realtime.Start(next.VisitorId);
        }
    }

    /// <summary>The visitor id for a visitor-scoped call; throws before any request when there is none or it is blocked.</summary>
    private string RequireVisitor(string operation)
    {
        ThrowIfDisposed();
        var context = _context;
        if (context.VisitorId is null)
        {
            throw new InvalidOperationException(
                $"{operation} needs a visitor: call FetchWebsiteAsync first, or SetWebsiteContext(websiteId, visitorId).");
        }

        if (context.IsBlocked)
        {
            throw new CossistantException(
                $"{operation} refused: the website blocked this visitor.", null, CossistantErrorCodes.VisitorBlocked, null, null);
        }

        return context.VisitorId;
    }
}
