using Cossistant.Client.Visitors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cossistant.Client.AspNetCore;

/// <summary>
/// Where a request names its Cossistant visitor: the <c>X-Visitor-Id</c> header a front end sends (the protocol's own
/// header), else a cookie the app set when it first learned the id. An id that is not a ULID counts as none.
/// </summary>
public sealed class CossistantRequestVisitor
{
    /// <summary>The header read first, <c>X-Visitor-Id</c>.</summary>
    public const string DefaultHeaderName = "X-Visitor-Id";

    /// <summary>The cookie read next, <c>cossistant_visitor_id</c>.</summary>
    public const string DefaultCookieName = "cossistant_visitor_id";

    /// <summary>Creates the default source: <see cref="DefaultHeaderName"/>, then <see cref="DefaultCookieName"/>.</summary>
    public CossistantRequestVisitor()
        : this(DefaultHeaderName, DefaultCookieName)
    {
    }

    /// <summary>Creates a source with other names.</summary>
    /// <param name="headerName">The header to read, or <see langword="null"/> for none.</param>
    /// <param name="cookieName">The cookie to read, or <see langword="null"/> for none.</param>
    public CossistantRequestVisitor(string? headerName, string? cookieName)
    {
        HeaderName = headerName;
        CookieName = cookieName;
    }

    /// <summary>The header read first, or none.</summary>
    public string? HeaderName { get; }

    /// <summary>The cookie read next, or none.</summary>
    public string? CookieName { get; }

    /// <summary>The visitor id a request names, or <see langword="null"/>.</summary>
    /// <param name="request">The request.</param>
    /// <returns>A ULID, or <see langword="null"/> when the request names none (or something that is not one).</returns>
    public string? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HeaderName is not null && request.Headers[HeaderName].ToString().Trim() is { Length: > 0 } header)
        {
            return VisitorIds.IsValid(header) ? header : null;
        }

        return CookieName is not null && request.Cookies[CookieName] is { Length: > 0 } cookie && VisitorIds.IsValid(cookie) ? cookie : null;
    }

    /// <summary>The visitor id of the current request (through <see cref="IHttpContextAccessor"/>), or <see langword="null"/>.</summary>
    /// <param name="services">The request's services.</param>
    /// <returns>The visitor id, or <see langword="null"/>.</returns>
    public string? ReadCurrent(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request is { } request ? Read(request) : null;
    }
}
