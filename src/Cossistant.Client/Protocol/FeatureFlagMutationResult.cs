namespace Cossistant.Client;

/// <summary>
/// The answer of <c>PATCH /support/feature-flags</c>: the target and its OWN flags after the change (not the
/// union a visitor sees). Visitors learn of the change through realtime events.
/// </summary>
public sealed record FeatureFlagMutationResult
{
    /// <summary>The target, echoed.</summary>
    public required FeatureFlagTarget Target { get; init; }

    /// <summary>The target's own flags after the change, normalized and sorted.</summary>
    public required IReadOnlyList<string> Flags { get; init; }
}
