using Cossistant.Client.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>ASP.NET Core wiring for <c>AddCossistant</c>.</summary>
public static class CossistantAspNetCoreExtensions
{
    /// <summary>
    /// The documented default for ASP.NET Core: a request's scoped <see cref="Cossistant.Client.CossistantSession"/>
    /// belongs to the visitor the request names in the <c>X-Visitor-Id</c> header (what a front end with the TypeScript
    /// SDK sends), else in the <c>cossistant_visitor_id</c> cookie. A request that names none (or something that is not
    /// a ULID) cannot resolve the session: inject <see cref="Cossistant.Client.CossistantSessionFactory"/> there instead.
    /// </summary>
    /// <param name="builder">The registration.</param>
    /// <param name="headerName">The header to read; default <c>X-Visitor-Id</c>; <see langword="null"/> for none.</param>
    /// <param name="cookieName">The cookie to read; default <c>cossistant_visitor_id</c>; <see langword="null"/> for none.</param>
    /// <returns>The builder.</returns>
    public static CossistantBuilder WithVisitorIdFromRequest(
        this CossistantBuilder builder,
        string? headerName = CossistantRequestVisitor.DefaultHeaderName,
        string? cookieName = CossistantRequestVisitor.DefaultCookieName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var source = new CossistantRequestVisitor(headerName, cookieName);
        builder.Services.AddHttpContextAccessor();
        return builder.WithVisitorId(source.ReadCurrent);
    }
}
