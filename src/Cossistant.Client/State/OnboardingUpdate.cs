using System.Text.Json;
using System.Text.Json.Serialization;
using Cossistant.Client.Protocol;

namespace Cossistant.Client;

/// <summary>
/// One onboarding change, as sent in <c>PATCH /support/onboarding</c> and applied optimistically by the
/// client: a reset, or a step with a new <c>completed</c> value and/or new metadata.
/// </summary>
/// <remarks>
/// Setting metadata to <see langword="null"/> clears it and is serialized as <c>"metadata":null</c>;
/// an update that does not touch metadata omits the key, so the server keeps the stored value.
/// </remarks>
[JsonConverter(typeof(OnboardingUpdateJsonConverter))]
public sealed class OnboardingUpdate : IEquatable<OnboardingUpdate>
{
    private static readonly OnboardingUpdate ResetInstance = new(null, null, false, null, true);

    private OnboardingUpdate(string? stepId, bool? completed, bool hasMetadata, JsonElement? metadata, bool isReset)
    {
        StepId = stepId;
        Completed = completed;
        HasMetadata = hasMetadata;
        Metadata = metadata;
        IsReset = isReset;
    }

    /// <summary>The step the update changes; <see langword="null"/> for a reset.</summary>
    public string? StepId { get; }

    /// <summary>The new <c>completed</c> value, or <see langword="null"/> to keep the stored one.</summary>
    public bool? Completed { get; }

    /// <summary>Whether the update sets metadata (to <see cref="Metadata"/>, which may be null to clear it).</summary>
    public bool HasMetadata { get; }

    /// <summary>The new metadata object when <see cref="HasMetadata"/>; <see langword="null"/> clears it.</summary>
    public JsonElement? Metadata { get; }

    /// <summary>Whether this update resets all onboarding progress.</summary>
    public bool IsReset { get; }

    /// <summary>Marks a step completed: <c>{"stepId":"…","completed":true}</c>.</summary>
    /// <param name="stepId">The step id (non-empty).</param>
    /// <returns>The update.</returns>
    public static OnboardingUpdate Complete(string stepId) => ForStep(stepId, completed: true);

    /// <summary>Marks a step not completed: <c>{"stepId":"…","completed":false}</c>.</summary>
    /// <param name="stepId">The step id (non-empty).</param>
    /// <returns>The update.</returns>
    public static OnboardingUpdate Uncomplete(string stepId) => ForStep(stepId, completed: false);

    /// <summary>Replaces a step's metadata: <c>{"stepId":"…","metadata":{…}}</c>, or <c>null</c> to clear it.</summary>
    /// <param name="stepId">The step id (non-empty).</param>
    /// <param name="metadata">A JSON object, or <see langword="null"/> to clear.</param>
    /// <returns>The update.</returns>
    /// <exception cref="ArgumentException"><paramref name="metadata"/> is not an object or null.</exception>
    public static OnboardingUpdate SetMetadata(string stepId, JsonElement? metadata) =>
        ForStep(stepId, completed: null, hasMetadata: true, metadata);

    /// <summary>Resets all onboarding progress: <c>{"reset":true}</c>.</summary>
    /// <returns>The update.</returns>
    public static OnboardingUpdate Reset() => ResetInstance;

    /// <summary>
    /// Creates a step update that sets <c>completed</c> and/or metadata in one request.
    /// </summary>
    /// <param name="stepId">The step id (non-empty).</param>
    /// <param name="completed">The new completed value, or <see langword="null"/> to keep it.</param>
    /// <param name="hasMetadata">Whether to set metadata.</param>
    /// <param name="metadata">The metadata when <paramref name="hasMetadata"/>: an object, or null to clear.</param>
    /// <returns>The update.</returns>
    /// <exception cref="ArgumentException">
    /// The step id is empty or whitespace (no declared step can have such an id), nothing would change (no completed value and no metadata), or the metadata is not an object.
    /// </exception>
    public static OnboardingUpdate ForStep(string stepId, bool? completed, bool hasMetadata = false, JsonElement? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stepId);
        if (Cossistant.Client.State.JavaScriptWhitespace.IsEmptyAfterTrim(stepId))
        {
            throw new ArgumentException("Onboarding step IDs must be non-empty strings.", nameof(stepId));
        }

        if (completed is null && !hasMetadata)
        {
            throw new ArgumentException(
                "An onboarding update needs a completed value and/or metadata; use Reset() to clear all progress.",
                nameof(completed));
        }

        if (!hasMetadata && metadata is not null)
        {
            throw new ArgumentException("Metadata is given but hasMetadata is false.", nameof(metadata));
        }

        // Validated and copied the same way as stored step metadata.
        var stored = hasMetadata ? new OnboardingStepState(false, metadata).Metadata : null;
        return new OnboardingUpdate(stepId, completed, hasMetadata, stored, isReset: false);
    }

    /// <inheritdoc />
    public bool Equals(OnboardingUpdate? other) =>
        other is not null
        && IsReset == other.IsReset
        && (IsReset || (StepId == other.StepId
            && Completed == other.Completed
            && HasMetadata == other.HasMetadata
            && new OnboardingStepState(false, Metadata, false).Equals(new OnboardingStepState(false, other.Metadata, false))));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as OnboardingUpdate);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IsReset, StepId, Completed, HasMetadata);

    /// <summary>The request body, e.g. <c>{"stepId":"workspace","metadata":null}</c>.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => JsonSerializer.Serialize(this, CossistantJsonContext.Default.OnboardingUpdate);

    internal static OnboardingUpdate FromWire(string? stepId, bool? completed, bool hasMetadata, JsonElement? metadata, bool reset) =>
        reset ? ResetInstance : new OnboardingUpdate(stepId, completed, hasMetadata, metadata, isReset: false);
}
