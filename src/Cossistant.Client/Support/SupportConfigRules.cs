using Cossistant.Client.State;

namespace Cossistant.Client.Support;

/// <summary>The validation rules of a support config, with the TypeScript SDK's exact messages.</summary>
internal static class SupportConfigRules
{
    public const string FlagEmpty = "Feature flag names must be non-empty strings.";
    public const string StepsTooFew = "Onboarding config requires at least two steps: one first step and one last step.";
    public const string StepIdEmpty = "Onboarding step IDs must be non-empty strings.";
    public const string FirstCount = "Onboarding config requires exactly one isFirst step.";
    public const string LastCount = "Onboarding config requires exactly one isLast step.";
    public const string FirstIsLast = "Onboarding first and last steps must be different steps.";

    public static string FlagComma(string flag) => $"Feature flag \"{flag}\" cannot contain commas.";

    public static string FlagDuplicate(string flag) => $"Feature flag \"{flag}\" is defined more than once.";

    public static string FlagWhitespace(string flag) =>
        $"Feature flag \"{flag}\" has leading or trailing whitespace; the server trims flag names, so it could never match.";

    public static string StepDuplicate(string id) => $"Onboarding step \"{id}\" is defined more than once.";

    /// <summary>Checks one flag name: non-empty after a JavaScript trim, no comma, no surrounding whitespace.</summary>
    public static void CheckFlagName(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (JavaScriptWhitespace.IsEmptyAfterTrim(name))
        {
            throw new SupportConfigException(FlagEmpty, paramName);
        }

        if (name.Contains(',', StringComparison.Ordinal))
        {
            throw new SupportConfigException(FlagComma(name), paramName);
        }

        if (!ReferenceEquals(JavaScriptWhitespace.Trim(name), name))
        {
            throw new SupportConfigException(FlagWhitespace(name), paramName);
        }
    }

    /// <summary>Checks one step id: non-empty after a JavaScript trim.</summary>
    public static void CheckStepId(string id, string paramName)
    {
        ArgumentNullException.ThrowIfNull(id, paramName);
        if (JavaScriptWhitespace.IsEmptyAfterTrim(id))
        {
            throw new SupportConfigException(StepIdEmpty, paramName);
        }
    }

    /// <summary>Checks the flag list in order: each name, then duplicates.</summary>
    public static void CheckFlags(IReadOnlyList<FeatureFlag> flags, string paramName)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flag in flags)
        {
            ArgumentNullException.ThrowIfNull(flag, paramName);
            if (!seen.Add(flag.Name))
            {
                throw new SupportConfigException(FlagDuplicate(flag.Name), paramName);
            }
        }
    }

    /// <summary>Checks the onboarding steps: count, ids, duplicates, then the first and last steps.</summary>
    public static void CheckSteps(IReadOnlyList<OnboardingStep> steps, string paramName)
    {
        if (steps.Count < 2)
        {
            throw new SupportConfigException(StepsTooFew, paramName);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            ArgumentNullException.ThrowIfNull(step, paramName);
            CheckStepId(step.Id, paramName);
            if (!seen.Add(step.Id))
            {
                throw new SupportConfigException(StepDuplicate(step.Id), paramName);
            }
        }

        if (steps.Count(step => step.IsFirst) != 1)
        {
            throw new SupportConfigException(FirstCount, paramName);
        }

        if (steps.Count(step => step.IsLast) != 1)
        {
            throw new SupportConfigException(LastCount, paramName);
        }

        if (steps.Any(step => step.IsFirst && step.IsLast))
        {
            throw new SupportConfigException(FirstIsLast, paramName);
        }
    }
}
