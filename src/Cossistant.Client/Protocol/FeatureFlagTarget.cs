namespace Cossistant.Client;

/// <summary>The visitor, contact or contact organization a flag mutation applies to.</summary>
public sealed record FeatureFlagTarget
{
    /// <summary>Creates a target.</summary>
    /// <param name="type">The level.</param>
    /// <param name="id">The id of the visitor, contact or organization (non-empty).</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or whitespace.</exception>
    public FeatureFlagTarget(FeatureFlagTargetType type, string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown feature flag target type.");
        }

        Type = type;
        Id = id;
    }

    /// <summary>The level.</summary>
    public FeatureFlagTargetType Type { get; }

    /// <summary>The id of the visitor, contact or organization.</summary>
    public string Id { get; }

    /// <summary>A visitor target.</summary>
    /// <param name="visitorId">The visitor id.</param>
    /// <returns>The target.</returns>
    public static FeatureFlagTarget Visitor(string visitorId) => new(FeatureFlagTargetType.Visitor, visitorId);

    /// <summary>A contact target.</summary>
    /// <param name="contactId">The contact id.</param>
    /// <returns>The target.</returns>
    public static FeatureFlagTarget Contact(string contactId) => new(FeatureFlagTargetType.Contact, contactId);

    /// <summary>A contact organization target.</summary>
    /// <param name="contactOrganizationId">The contact organization id.</param>
    /// <returns>The target.</returns>
    public static FeatureFlagTarget ContactOrganization(string contactOrganizationId) =>
        new(FeatureFlagTargetType.ContactOrganization, contactOrganizationId);
}
