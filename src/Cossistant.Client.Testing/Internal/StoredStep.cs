using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>One stored onboarding step: whether it is completed and its metadata object (jsonb order) or none.</summary>
internal sealed class StoredStep(bool completed, JsonElement? metadata)
{
    /// <summary>The entry an update starts from when the step is not stored yet.</summary>
    public static StoredStep Default { get; } = new(false, null);

    public bool Completed { get; } = completed;

    public JsonElement? Metadata { get; } = metadata;
}
