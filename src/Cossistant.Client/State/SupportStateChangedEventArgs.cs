using System.Collections.Immutable;

namespace Cossistant.Client;

/// <summary>What changed between two snapshots of a client's support state.</summary>
public sealed class SupportStateChangedEventArgs : EventArgs
{
    internal SupportStateChangedEventArgs(SupportStateSnapshot previous, SupportStateSnapshot current)
    {
        Previous = previous;
        Current = current;
        (FlagsAdded, FlagsRemoved) = DiffFlags(previous.State.FeatureFlags, current.State.FeatureFlags);
        StepsChanged = DiffSteps(previous.State.Onboarding, current.State.Onboarding);
    }

    /// <summary>The snapshot before the change.</summary>
    public SupportStateSnapshot Previous { get; }

    /// <summary>The snapshot after the change.</summary>
    public SupportStateSnapshot Current { get; }

    /// <summary>Flags enabled by the change, sorted ordinally.</summary>
    public ImmutableArray<string> FlagsAdded { get; }

    /// <summary>Flags disabled by the change, sorted ordinally.</summary>
    public ImmutableArray<string> FlagsRemoved { get; }

    /// <summary>Onboarding steps added, removed or changed (completed or metadata).</summary>
    public ImmutableArray<string> StepsChanged { get; }

    /// <summary>Whether the status or error changed.</summary>
    public bool StatusChanged => Previous.Status != Current.Status || !ReferenceEquals(Previous.Error, Current.Error);

    /// <summary>Whether the flags changed.</summary>
    public bool FlagsChanged => !FlagsAdded.IsEmpty || !FlagsRemoved.IsEmpty;

    /// <inheritdoc />
    public override string ToString() =>
        $"+[{string.Join(',', FlagsAdded)}] -[{string.Join(',', FlagsRemoved)}] steps [{string.Join(',', StepsChanged)}] {Current.Status}";

    private static (ImmutableArray<string> Added, ImmutableArray<string> Removed) DiffFlags(
        ImmutableArray<string> before, ImmutableArray<string> after)
    {
        if (before == after)
        {
            return ([], []);
        }

        var added = ImmutableArray.CreateBuilder<string>();
        var removed = ImmutableArray.CreateBuilder<string>();
        int i = 0, j = 0;
        while (i < before.Length || j < after.Length)
        {
            var order = i == before.Length ? 1 : j == after.Length ? -1 : string.CompareOrdinal(before[i], after[j]);
            if (order < 0)
            {
                removed.Add(before[i++]);
            }
            else if (order > 0)
            {
                added.Add(after[j++]);
            }
            else
            {
                i++;
                j++;
            }
        }

        return (added.ToImmutable(), removed.ToImmutable());
    }

    private static ImmutableArray<string> DiffSteps(OnboardingState before, OnboardingState after)
    {
        if (ReferenceEquals(before, after))
        {
            return [];
        }

        var changed = ImmutableArray.CreateBuilder<string>();
        foreach (var (id, step) in after.Steps)
        {
            if (!before.TryGetStep(id, out var old) || !old.Equals(step))
            {
                changed.Add(id);
            }
        }

        foreach (var id in before.Steps.Keys)
        {
            if (!after.Steps.ContainsKey(id))
            {
                changed.Add(id);
            }
        }

        return changed.ToImmutable();
    }
}
