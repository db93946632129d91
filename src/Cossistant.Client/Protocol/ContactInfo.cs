namespace Cossistant.Client;

/// <summary>A contact (an identified person) as the API returns it.</summary>
public sealed record ContactInfo
{
    /// <summary>The contact id.</summary>
    public required string Id { get; init; }

    /// <summary>The contact's name, if known.</summary>
    public string? Name { get; init; }

    /// <summary>The contact's email, if known.</summary>
    public string? Email { get; init; }

    /// <summary>The contact's image URL, if any.</summary>
    public string? Image { get; init; }

    /// <summary>The contact's id in the app's own user store, if set.</summary>
    public string? ExternalId { get; init; }

    /// <summary>The contact organization the contact belongs to, if any.</summary>
    public string? ContactOrganizationId { get; init; }
}
