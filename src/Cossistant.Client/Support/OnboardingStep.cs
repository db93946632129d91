using Cossistant.Client.Support;

namespace Cossistant.Client;

/// <summary>
/// An onboarding step an app declares, without typed metadata, e.g.
/// <c>public static readonly OnboardingStep Done = new("done", isLast: true);</c>.
/// Use <see cref="OnboardingStep{TMetadata}"/> for a step that stores typed metadata.
/// </summary>
public class OnboardingStep
{
    /// <summary>Declares a step.</summary>
    /// <param name="id">The step id: non-empty after trimming. Case-sensitive.</param>
    /// <param name="isFirst">Whether this is the config's one first step.</param>
    /// <param name="isLast">Whether this is the config's one last step.</param>
    /// <exception cref="SupportConfigException">The id is empty or whitespace.</exception>
    public OnboardingStep(string id, bool isFirst = false, bool isLast = false)
    {
        SupportConfigRules.CheckStepId(id, nameof(id));
        Id = id;
        IsFirst = isFirst;
        IsLast = isLast;
    }

    /// <summary>The step id as the server stores it.</summary>
    public string Id { get; }

    /// <summary>Whether this is the first step of the onboarding flow.</summary>
    public bool IsFirst { get; }

    /// <summary>Whether this is the last step of the onboarding flow.</summary>
    public bool IsLast { get; }

    /// <summary>The CLR type of the step's metadata, or <see langword="null"/> for a step without typed metadata.</summary>
    public virtual Type? MetadataType => null;

    /// <summary>The step id.</summary>
    /// <returns><see cref="Id"/>.</returns>
    public override string ToString() => Id;
}
