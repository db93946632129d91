using System.Text.Json;

namespace Cossistant.Client;

/// <summary>One step of an <see cref="OnboardingSnapshot"/>: its declaration and its stored state.</summary>
public sealed class OnboardingStepSnapshot
{
    internal OnboardingStepSnapshot(string id, OnboardingStep? step, OnboardingStepState state)
    {
        Id = id;
        Step = step;
        Completed = state.Completed;
        Metadata = state.Metadata;
    }

    /// <summary>The step id.</summary>
    public string Id { get; }

    /// <summary>The declared step, or <see langword="null"/> when the config declares no onboarding steps.</summary>
    public OnboardingStep? Step { get; }

    /// <summary>Whether this is the declared first step.</summary>
    public bool IsFirst => Step?.IsFirst ?? false;

    /// <summary>Whether this is the declared last step.</summary>
    public bool IsLast => Step?.IsLast ?? false;

    /// <summary>Whether the step is completed (false when the server has no state for it).</summary>
    public bool Completed { get; }

    /// <summary>The step's metadata object, or <see langword="null"/>.</summary>
    public JsonElement? Metadata { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Id}: {(Completed ? "completed" : "not completed")}";
}
