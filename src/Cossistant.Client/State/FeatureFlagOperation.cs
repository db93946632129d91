using System.Text.Json.Serialization;

namespace Cossistant.Client;

/// <summary>How <c>PATCH /support/feature-flags</c> changes a target's own flag list.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureFlagOperation>))]
public enum FeatureFlagOperation
{
    /// <summary>Union: the flags are added to the target's list.</summary>
    [JsonStringEnumMemberName("add")]
    Add,

    /// <summary>Difference: the flags are removed; absent flags are a no-op.</summary>
    [JsonStringEnumMemberName("remove")]
    Remove,

    /// <summary>Replace: the target's list becomes exactly the flags (an empty list clears it).</summary>
    [JsonStringEnumMemberName("set")]
    Set,
}
