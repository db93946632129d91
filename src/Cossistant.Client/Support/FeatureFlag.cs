using Cossistant.Client.Support;

namespace Cossistant.Client;

/// <summary>
/// A feature flag an app declares, e.g. <c>public static readonly FeatureFlag NewMessage = new("new-message");</c>.
/// Pass it to <see cref="SupportConfig.Create(IEnumerable{FeatureFlag}, IEnumerable{OnboardingStep}?)"/> and to flag checks.
/// </summary>
public sealed class FeatureFlag : IEquatable<FeatureFlag>
{
    /// <summary>Declares a flag.</summary>
    /// <param name="name">The flag name: non-empty, no comma, no leading or trailing whitespace. Case-sensitive.</param>
    /// <exception cref="SupportConfigException">The name breaks one of those rules.</exception>
    public FeatureFlag(string name)
    {
        SupportConfigRules.CheckFlagName(name, nameof(name));
        Name = name;
        Ordinal = Interlocked.Increment(ref s_created);
    }

    private static int s_created;

    /// <summary>The flag name as the server stores it.</summary>
    public string Name { get; }

    /// <summary>This instance's number in the process, fixed at construction: what a config indexes declared flags by.</summary>
    internal int Ordinal { get; }

    /// <inheritdoc />
    public bool Equals(FeatureFlag? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FeatureFlag);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>The flag name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;
}
