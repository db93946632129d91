using System.Text.Json.Serialization;

namespace Cossistant.Client;

/// <summary>The level whose own flag list a mutation changes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureFlagTargetType>))]
public enum FeatureFlagTargetType
{
    /// <summary>One visitor (wire name <c>visitor</c>).</summary>
    [JsonStringEnumMemberName("visitor")]
    Visitor,

    /// <summary>A contact: every visitor linked to it sees the flags (wire name <c>contact</c>).</summary>
    [JsonStringEnumMemberName("contact")]
    Contact,

    /// <summary>A contact organization: every visitor of its contacts sees the flags (wire name <c>contactOrganization</c>).</summary>
    [JsonStringEnumMemberName("contactOrganization")]
    ContactOrganization,
}
