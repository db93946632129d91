using System.Text.Json;

namespace Cossistant.Client;

/// <summary>The stored state of one onboarding step: whether it is completed and its metadata object.</summary>
public sealed class OnboardingStepState : IEquatable<OnboardingStepState>
{
    /// <summary>A step that is not completed and has no metadata (the default of the update rule).</summary>
    public static OnboardingStepState Default { get; } = new(false, null, cloneMetadata: false);

    /// <summary>Creates a step state.</summary>
    /// <param name="completed">Whether the step is completed.</param>
    /// <param name="metadata">
    /// A JSON object, or <see langword="null"/> (or a JSON <c>null</c>) for none. The element is copied, so it
    /// may come from a <see cref="JsonDocument"/> that is disposed later.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="metadata"/> is neither an object nor null.</exception>
    public OnboardingStepState(bool completed, JsonElement? metadata)
        : this(completed, CheckMetadata(metadata), cloneMetadata: true)
    {
    }

    internal OnboardingStepState(bool completed, JsonElement? metadata, bool cloneMetadata)
    {
        Completed = completed;
        Metadata = metadata is { ValueKind: JsonValueKind.Object } value ? (cloneMetadata ? value.Clone() : value) : null;
    }

    /// <summary>Whether the step is completed.</summary>
    public bool Completed { get; }

    /// <summary>The step's metadata: a JSON object (<see cref="JsonValueKind.Object"/>), or <see langword="null"/>.</summary>
    public JsonElement? Metadata { get; }

    /// <inheritdoc />
    public bool Equals(OnboardingStepState? other) =>
        other is not null
        && Completed == other.Completed
        && (Metadata, other.Metadata) switch
        {
            (null, null) => true,
            ({ } a, { } b) => JsonElement.DeepEquals(a, b),
            _ => false,
        };

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as OnboardingStepState);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Completed, Metadata is null);

    /// <inheritdoc />
    public override string ToString() =>
        $"{{\"completed\":{(Completed ? "true" : "false")},\"metadata\":{(Metadata is { } m ? m.GetRawText() : "null")}}}";

    private static JsonElement? CheckMetadata(JsonElement? metadata)
    {
        if (metadata is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) } value)
        {
            throw new ArgumentException(
                $"Onboarding step metadata must be a JSON object or null, not {value.ValueKind}.", nameof(metadata));
        }

        return metadata;
    }
}
