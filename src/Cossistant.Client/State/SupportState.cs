using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cossistant.Client.Protocol;

namespace Cossistant.Client;

/// <summary>
/// Immutable support state of one visitor, as <c>GET /support/state</c> returns it: the enabled feature
/// flags (the union of the visitor's, its contact's and the contact organization's, normalized and sorted)
/// and the onboarding progress.
/// </summary>
/// <remarks>Safe to share between threads; every change produces a new instance.</remarks>
[JsonConverter(typeof(SupportStateJsonConverter))]
public sealed class SupportState : IEquatable<SupportState>
{
    private readonly FrozenSet<string> _flagSet;

    /// <summary>Creates a state; the flags are normalized (see <see cref="SupportFeatureFlags.Normalize"/>).</summary>
    /// <param name="featureFlags">The enabled flags.</param>
    /// <param name="onboarding">The onboarding progress; <see langword="null"/> means none.</param>
    public SupportState(IEnumerable<string?> featureFlags, OnboardingState? onboarding = null)
        : this(onboarding ?? OnboardingState.Empty, SupportFeatureFlags.Normalize(featureFlags))
    {
    }

    private SupportState(OnboardingState onboarding, ImmutableArray<string> normalizedFlags, FrozenSet<string>? flagSet = null)
    {
        FeatureFlags = normalizedFlags;
        Onboarding = onboarding;
        _flagSet = flagSet
            ?? (normalizedFlags.IsEmpty ? FrozenSet<string>.Empty : normalizedFlags.ToFrozenSet(StringComparer.Ordinal));
    }

    /// <summary>No flags and no onboarding progress: what every reader sees before state is loaded.</summary>
    public static SupportState Empty { get; } = new(OnboardingState.Empty, []);

    /// <summary>
    /// Reads a support state from the server's JSON (<c>{"featureFlags":[…],"onboarding":{"steps":{…}}}</c>),
    /// applying flag and onboarding normalization; unknown fields are ignored.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The state.</returns>
    /// <exception cref="JsonException">The text is not JSON, or not an object, or <c>featureFlags</c> is not an array.</exception>
    public static SupportState Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, CossistantJsonContext.Default.SupportState)
            ?? throw new JsonException("Support state must be a JSON object, not null.");
    }

    /// <summary>The enabled flags, normalized and sorted ordinally.</summary>
    public ImmutableArray<string> FeatureFlags { get; }

    /// <summary>The onboarding progress.</summary>
    public OnboardingState Onboarding { get; }

    /// <summary>Exact, case-sensitive membership test of a flag name. Does not allocate.</summary>
    /// <param name="flag">The flag name.</param>
    /// <returns><see langword="true"/> when the flag is enabled.</returns>
    public bool IsFeatureFlagEnabled(string flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return _flagSet.Contains(flag);
    }

    /// <summary>Exact membership test of a declared flag. Does not allocate.</summary>
    /// <param name="flag">The flag.</param>
    /// <returns><see langword="true"/> when the flag is enabled.</returns>
    public bool IsFeatureFlagEnabled(FeatureFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return _flagSet.Contains(flag.Name);
    }

    /// <summary>A copy with other onboarding progress and the same flags.</summary>
    /// <param name="onboarding">The onboarding progress.</param>
    /// <returns>The new state.</returns>
    public SupportState WithOnboarding(OnboardingState onboarding)
    {
        ArgumentNullException.ThrowIfNull(onboarding);
        // Same flags: the lookup set is shared, so an onboarding change costs nothing per flag.
        return ReferenceEquals(onboarding, Onboarding) ? this : new SupportState(onboarding, FeatureFlags, _flagSet);
    }

    /// <summary>A copy with an onboarding update applied (the server's update rule).</summary>
    /// <param name="update">The update.</param>
    /// <returns>The new state.</returns>
    public SupportState Apply(OnboardingUpdate update) => WithOnboarding(Onboarding.Apply(update));

    /// <inheritdoc />
    public bool Equals(SupportState? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && FeatureFlags.AsSpan().SequenceEqual(other.FeatureFlags.AsSpan())
            && Onboarding.Equals(other.Onboarding));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SupportState);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(FeatureFlags.Length, Onboarding.Count);

    /// <summary>The state as the server's JSON.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => JsonSerializer.Serialize(this, CossistantJsonContext.Default.SupportState);

    internal static SupportState FromNormalized(ImmutableArray<string> flags, OnboardingState onboarding) =>
        flags.IsEmpty && onboarding.Count == 0 ? Empty : new SupportState(onboarding, flags);
}
