using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cossistant.Client.Protocol;
using Cossistant.Client.State;

namespace Cossistant.Client;

/// <summary>
/// Immutable onboarding progress of a visitor or contact: step id → <see cref="OnboardingStepState"/>.
/// Steps keep the order in which they first appeared; equality ignores that order, as the server does.
/// </summary>
[JsonConverter(typeof(OnboardingStateJsonConverter))]
public sealed class OnboardingState : IEquatable<OnboardingState>
{
    private readonly OnboardingStepMap _steps;

    private OnboardingState(OnboardingStepMap steps)
    {
        _steps = steps;
    }

    /// <summary>No steps: the state of a new visitor, and the result of a reset.</summary>
    public static OnboardingState Empty { get; } = new(new OnboardingStepMap([]));

    /// <summary>The steps by id, enumerated in the order they first appeared. Immutable.</summary>
    public IReadOnlyDictionary<string, OnboardingStepState> Steps => _steps;

    /// <summary>The number of steps.</summary>
    public int Count => _steps.Count;

    /// <summary>Creates a state from step entries; a later entry for the same id replaces an earlier one.</summary>
    /// <param name="steps">The steps.</param>
    /// <returns>The state.</returns>
    public static OnboardingState Create(IEnumerable<KeyValuePair<string, OnboardingStepState>> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var builder = new List<KeyValuePair<string, OnboardingStepState>>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, state) in steps)
        {
            ArgumentNullException.ThrowIfNull(id, nameof(steps));
            ArgumentNullException.ThrowIfNull(state, nameof(steps));
            if (positions.TryGetValue(id, out var at))
            {
                builder[at] = new(id, state);
            }
            else
            {
                positions[id] = builder.Count;
                builder.Add(new(id, state));
            }
        }

        return builder.Count == 0 ? Empty : new OnboardingState(new OnboardingStepMap([.. builder]));
    }

    /// <summary>
    /// Normalizes an onboarding value from the server: <see langword="null"/>, a non-object, or a missing or
    /// non-object <c>steps</c> gives <see cref="Empty"/>; a step whose value is not an object is dropped;
    /// <c>completed</c> follows JavaScript truthiness; <c>metadata</c> is kept only when it is an object.
    /// </summary>
    /// <param name="onboarding">The <c>onboarding</c> value, e.g. <c>{"steps":{...}}</c>.</param>
    /// <returns>The normalized state.</returns>
    public static OnboardingState FromJson(JsonElement? onboarding)
    {
        if (onboarding is not { ValueKind: JsonValueKind.Object } root
            || !root.TryGetProperty("steps", out var steps)
            || steps.ValueKind != JsonValueKind.Object)
        {
            return Empty;
        }

        var entries = new List<KeyValuePair<string, OnboardingStepState>>();
        foreach (var step in steps.EnumerateObject())
        {
            if (step.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var completed = step.Value.TryGetProperty("completed", out var c) && IsTruthy(c);
            JsonElement? metadata = step.Value.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
                ? m.Clone()
                : null;
            entries.Add(new(step.Name, new OnboardingStepState(completed, metadata, cloneMetadata: false)));
        }

        return Create(entries);
    }

    /// <summary>
    /// Applies an update with the server's rule: a reset gives <see cref="Empty"/>; otherwise the step
    /// (default: not completed, no metadata) takes the update's <c>completed</c> when given and its
    /// metadata when given (replaced, never merged, <see langword="null"/> clears); other steps are untouched.
    /// </summary>
    /// <param name="update">The update.</param>
    /// <returns>The new state; this instance is unchanged.</returns>
    public OnboardingState Apply(OnboardingUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.IsReset)
        {
            return Empty;
        }

        var id = update.StepId!;
        var old = TryGetStep(id, out var existing) ? existing : OnboardingStepState.Default;
        var next = new OnboardingStepState(
            update.Completed ?? old.Completed,
            update.HasMetadata ? update.Metadata : old.Metadata,
            cloneMetadata: false);

        return new OnboardingState(_steps.With(id, next));
    }

    /// <summary>Gets the state of a step.</summary>
    /// <param name="id">The step id.</param>
    /// <param name="step">The step state when present.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool TryGetStep(string id, [MaybeNullWhen(false)] out OnboardingStepState step) => _steps.TryGetValue(id, out step);

    /// <inheritdoc />
    public bool Equals(OnboardingState? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Count != Count)
        {
            return false;
        }

        foreach (var (id, step) in _steps)
        {
            if (!other.TryGetStep(id, out var theirs) || !step.Equals(theirs))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as OnboardingState);

    /// <inheritdoc />
    public override int GetHashCode() => Count;

    /// <summary>The state as JSON, e.g. <c>{"steps":{"workspace":{"completed":true,"metadata":null}}}</c>.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => JsonSerializer.Serialize(this, CossistantJsonContext.Default.OnboardingState);

    private static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.Object or JsonValueKind.Array => true,
        JsonValueKind.String => value.GetString()!.Length > 0,
        // A number too large for a double is Infinity in JavaScript: truthy.
        JsonValueKind.Number => !value.TryGetDouble(out var number) || number != 0,
        _ => false,
    };
}
