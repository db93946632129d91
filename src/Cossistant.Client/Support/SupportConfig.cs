using System.Collections.Frozen;
using System.Collections.Immutable;
using Cossistant.Client.Support;

namespace Cossistant.Client;

/// <summary>
/// The flags and onboarding steps an app declares once (the .NET <c>createSupport</c>). Validated when it is
/// created: an invalid config throws <see cref="SupportConfigException"/> with the TypeScript SDK's message.
/// </summary>
/// <example>
/// <code>
/// public static readonly SupportConfig Config = SupportConfig.Create([NewMessage, BillingV2], [Workspace, InviteTeam, Done]);
/// </code>
/// </example>
public sealed class SupportConfig
{
    private readonly FrozenDictionary<string, FeatureFlag> _flagsByName;
    private readonly FrozenDictionary<string, OnboardingStep> _stepsById;
    private readonly FrozenDictionary<int, int> _declaredIndex;

    private SupportConfig(ImmutableArray<FeatureFlag> flags, ImmutableArray<OnboardingStep>? steps)
    {
        FeatureFlags = flags;
        OnboardingSteps = steps ?? [];
        HasOnboarding = steps is not null;
        _flagsByName = flags.ToFrozenDictionary(flag => flag.Name, StringComparer.Ordinal);
        _declaredIndex = flags.Select((flag, index) => (flag.Ordinal, index)).ToFrozenDictionary(pair => pair.Ordinal, pair => pair.index);
        _stepsById = OnboardingSteps.ToFrozenDictionary(step => step.Id, StringComparer.Ordinal);
    }

    /// <summary>A config with no flags and no onboarding: every string-name call is allowed.</summary>
    public static SupportConfig Empty { get; } = new([], null);

    /// <summary>The declared flags, in declared order.</summary>
    public ImmutableArray<FeatureFlag> FeatureFlags { get; }

    /// <summary>The declared onboarding steps, in declared order; empty when <see cref="HasOnboarding"/> is false.</summary>
    public ImmutableArray<OnboardingStep> OnboardingSteps { get; }

    /// <summary>Whether onboarding steps were declared.</summary>
    public bool HasOnboarding { get; }

    /// <summary>The declared first step, or <see langword="null"/> without onboarding.</summary>
    public OnboardingStep? FirstStep => OnboardingSteps.FirstOrDefault(step => step.IsFirst);

    /// <summary>The declared last step, or <see langword="null"/> without onboarding.</summary>
    public OnboardingStep? LastStep => OnboardingSteps.FirstOrDefault(step => step.IsLast);

    /// <summary>Creates and validates a config from declared flags and (optionally) onboarding steps.</summary>
    /// <param name="featureFlags">The flags; each name at most once.</param>
    /// <param name="onboardingSteps">
    /// The steps in flow order, or <see langword="null"/> for no onboarding. When given (even empty): at least two
    /// steps, unique ids, exactly one <c>isFirst</c> and one <c>isLast</c> step, and they differ.
    /// </param>
    /// <returns>The config.</returns>
    /// <exception cref="SupportConfigException">A rule is broken; the message names it.</exception>
    public static SupportConfig Create(IEnumerable<FeatureFlag> featureFlags, IEnumerable<OnboardingStep>? onboardingSteps = null)
    {
        ArgumentNullException.ThrowIfNull(featureFlags);
        ImmutableArray<FeatureFlag> flags = [.. featureFlags];
        SupportConfigRules.CheckFlags(flags, nameof(featureFlags));
        ImmutableArray<OnboardingStep>? steps = onboardingSteps is null ? null : [.. onboardingSteps];
        if (steps is { } declared)
        {
            SupportConfigRules.CheckSteps(declared, nameof(onboardingSteps));
        }

        return new SupportConfig(flags, steps);
    }

    /// <summary>
    /// Creates and validates a config from flag names, for configs read at run time (e.g. from configuration).
    /// Each name is checked in order: non-empty, no comma, no surrounding whitespace, not a duplicate.
    /// </summary>
    /// <param name="featureFlags">The flag names.</param>
    /// <param name="onboardingSteps">The steps in flow order, or <see langword="null"/> for no onboarding.</param>
    /// <returns>The config.</returns>
    /// <exception cref="SupportConfigException">A rule is broken; the message names it.</exception>
    public static SupportConfig FromNames(IEnumerable<string> featureFlags, IEnumerable<OnboardingStep>? onboardingSteps = null)
    {
        ArgumentNullException.ThrowIfNull(featureFlags);
        var flags = new List<FeatureFlag>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in featureFlags)
        {
            SupportConfigRules.CheckFlagName(name, nameof(featureFlags));
            if (!seen.Add(name))
            {
                throw new SupportConfigException(SupportConfigRules.FlagDuplicate(name), nameof(featureFlags));
            }

            flags.Add(new FeatureFlag(name));
        }

        return Create(flags, onboardingSteps);
    }

    /// <summary>Finds a declared flag by name (ordinal, case-sensitive).</summary>
    /// <param name="name">The flag name.</param>
    /// <returns>The flag, or <see langword="null"/> when it is not declared.</returns>
    public FeatureFlag? FindFeatureFlag(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _flagsByName.GetValueOrDefault(name);
    }

    /// <summary>Finds a declared onboarding step by id (ordinal, case-sensitive).</summary>
    /// <param name="id">The step id.</param>
    /// <returns>The step, or <see langword="null"/> when it is not declared.</returns>
    public OnboardingStep? FindOnboardingStep(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _stepsById.GetValueOrDefault(id);
    }

    /// <summary>The position of a declared flag instance in this config (another instance of the same name is not found).</summary>
    internal bool TryGetDeclaredIndex(FeatureFlag flag, out int index) => _declaredIndex.TryGetValue(flag.Ordinal, out index);

    /// <summary>Which declared flags a state enables, by declared index: what a typed flag check reads.</summary>
    internal bool[] DeclaredFlagsIn(SupportState state)
    {
        if (FeatureFlags.IsEmpty)
        {
            return [];
        }

        var enabled = new bool[FeatureFlags.Length];
        for (var i = 0; i < enabled.Length; i++)
        {
            enabled[i] = state.IsFeatureFlagEnabled(FeatureFlags[i].Name);
        }

        return enabled;
    }

    /// <summary>Throws when a typed step is not declared in this config (a config without onboarding accepts any).</summary>
    internal void CheckDeclared(OnboardingStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (HasOnboarding && FindOnboardingStep(step.Id) is null)
        {
            throw new ArgumentException(
                $"Onboarding step \"{step.Id}\" is not declared in the SupportConfig; declare it, or use the string overload.",
                nameof(step));
        }
    }

    /// <summary>The onboarding snapshot of a state under this config: steps, current step and completion.</summary>
    /// <param name="onboarding">The onboarding state.</param>
    /// <returns>The snapshot.</returns>
    public OnboardingSnapshot GetOnboardingSnapshot(OnboardingState onboarding) => OnboardingSnapshot.Create(this, onboarding);
}
