namespace Cossistant.Client;

/// <summary>The answer of <c>POST /contacts/identify</c>.</summary>
public sealed record IdentifyResult
{
    /// <summary>The contact the visitor is now linked to.</summary>
    public required ContactInfo Contact { get; init; }

    /// <summary>The linked visitor's id.</summary>
    public required string VisitorId { get; init; }
}
