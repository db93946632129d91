using System.Collections.Immutable;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// A visitor's or contact's stored onboarding (<c>{"steps":{...}}</c>), immutable, steps in jsonb key order; the
/// update rule of protocol §4; conversions from and to the client's public <see cref="OnboardingState"/>.
/// </summary>
internal sealed class StoredOnboarding
{
    private StoredOnboarding(ImmutableSortedDictionary<string, StoredStep> steps)
    {
        Steps = steps;
    }

    public static StoredOnboarding Empty { get; } = new(ImmutableSortedDictionary.Create<string, StoredStep>(JsonbOrder.Keys));

    public ImmutableSortedDictionary<string, StoredStep> Steps { get; }

    /// <summary>
    /// A reset empties the steps; otherwise the step (default: not completed, no metadata) takes the patch's
    /// <c>completed</c> when given and its metadata when the key was present (replaced, never merged; null clears).
    /// </summary>
    public StoredOnboarding Apply(OnboardingPatch patch)
    {
        if (patch.Reset)
        {
            return Empty;
        }

        var old = Steps.TryGetValue(patch.StepId!, out var stored) ? stored : StoredStep.Default;
        var next = new StoredStep(patch.Completed ?? old.Completed, patch.HasMetadata ? patch.Metadata : old.Metadata);
        return new StoredOnboarding(Steps.SetItem(patch.StepId!, next));
    }

    /// <summary>Exactly these steps (seeding).</summary>
    public static StoredOnboarding FromSteps(IEnumerable<KeyValuePair<string, StoredStep>> steps) => new(Empty.Steps.SetItems(steps));

    public static StoredOnboarding FromPublic(OnboardingState onboarding)
    {
        var steps = Empty.Steps.ToBuilder();
        foreach (var (id, step) in onboarding.Steps)
        {
            steps[id] = new StoredStep(step.Completed, step.Metadata is { } metadata ? JsonbOrder.Canonicalize(metadata) : null);
        }

        return new StoredOnboarding(steps.ToImmutable());
    }

    public OnboardingState ToPublic() =>
        OnboardingState.Create(Steps.Select(step =>
            new KeyValuePair<string, OnboardingStepState>(step.Key, new OnboardingStepState(step.Value.Completed, step.Value.Metadata))));
}
