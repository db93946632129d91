namespace Cossistant.Client;

/// <summary>The website and its visitor, as <c>GET /websites</c> returns them (fields the SDK uses).</summary>
public sealed record WebsiteInfo
{
    /// <summary>The website id.</summary>
    public required string Id { get; init; }

    /// <summary>The website's name.</summary>
    public string? Name { get; init; }

    /// <summary>The website's domain.</summary>
    public string? Domain { get; init; }

    /// <summary>The id of the organization that owns the website.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>The website's status as the server reports it (e.g. <c>active</c>).</summary>
    public string? Status { get; init; }

    /// <summary>The website's default language.</summary>
    public string? DefaultLanguage { get; init; }

    /// <summary>The visitor created or refreshed by the call, or <see langword="null"/> for a private-key call.</summary>
    public VisitorInfo? Visitor { get; init; }
}
