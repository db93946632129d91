namespace Cossistant.Client;

/// <summary>The visitor that <c>GET /websites</c> created or refreshed.</summary>
public sealed record VisitorInfo
{
    /// <summary>The visitor id (a 26-character ULID, case-sensitive).</summary>
    public required string Id { get; init; }

    /// <summary>Whether the website blocked this visitor; support calls then fail with <c>VISITOR_BLOCKED</c>.</summary>
    public bool IsBlocked { get; init; }

    /// <summary>The visitor's language, if known.</summary>
    public string? Language { get; init; }

    /// <summary>The contact the visitor is linked to, or <see langword="null"/> while anonymous.</summary>
    public ContactInfo? Contact { get; init; }
}
