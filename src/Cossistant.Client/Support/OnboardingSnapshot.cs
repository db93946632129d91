using System.Collections.Immutable;

namespace Cossistant.Client;

/// <summary>
/// Onboarding progress read through a <see cref="SupportConfig"/>: the declared steps in order with their
/// state, the current step (the first one not completed) and whether the flow is completed.
/// </summary>
/// <remarks>
/// Server steps that the config does not declare are ignored; with no declared steps, the server's steps are
/// listed in the order the server sent them.
/// </remarks>
public sealed class OnboardingSnapshot
{
    private OnboardingSnapshot(ImmutableArray<OnboardingStepSnapshot> steps)
    {
        Steps = steps;
        CurrentStep = steps.FirstOrDefault(step => !step.Completed);
        CompletedCount = steps.Count(step => step.Completed);
    }

    /// <summary>The steps, in declared order.</summary>
    public ImmutableArray<OnboardingStepSnapshot> Steps { get; }

    /// <summary>The first step that is not completed, or <see langword="null"/> when none is left.</summary>
    public OnboardingStepSnapshot? CurrentStep { get; }

    /// <summary>The id of <see cref="CurrentStep"/>, or <see langword="null"/>.</summary>
    public string? CurrentStepId => CurrentStep?.Id;

    /// <summary>Whether there are steps and every one is completed.</summary>
    public bool IsCompleted => !Steps.IsEmpty && CurrentStep is null;

    /// <summary>How many of <see cref="Steps"/> are completed.</summary>
    public int CompletedCount { get; }

    /// <summary>Finds a step by id.</summary>
    /// <param name="id">The step id.</param>
    /// <returns>The step, or <see langword="null"/> when the snapshot has no such step.</returns>
    public OnboardingStepSnapshot? FindStep(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        foreach (var step in Steps)
        {
            if (string.Equals(step.Id, id, StringComparison.Ordinal))
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>Whether a step is completed.</summary>
    /// <param name="step">The declared step.</param>
    /// <returns><see langword="true"/> when the step is in the snapshot and completed.</returns>
    public bool IsStepCompleted(OnboardingStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return FindStep(step.Id)?.Completed ?? false;
    }

    /// <summary>The typed metadata of a step.</summary>
    /// <typeparam name="TMetadata">The step's metadata type.</typeparam>
    /// <param name="step">The declared step.</param>
    /// <returns>The metadata, or <see langword="default"/> when the step has none.</returns>
    /// <exception cref="System.Text.Json.JsonException">The stored object does not fit <typeparamref name="TMetadata"/>.</exception>
    public TMetadata? GetMetadata<TMetadata>(OnboardingStep<TMetadata> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.FromJson(FindStep(step.Id)?.Metadata);
    }

    internal static OnboardingSnapshot Create(SupportConfig config, OnboardingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (config.OnboardingSteps.IsEmpty)
        {
            return new([.. state.Steps.Select(entry => new OnboardingStepSnapshot(entry.Key, null, entry.Value))]);
        }

        return new([.. config.OnboardingSteps.Select(step => new OnboardingStepSnapshot(
            step.Id, step, state.TryGetStep(step.Id, out var stored) ? stored : OnboardingStepState.Default))]);
    }
}
