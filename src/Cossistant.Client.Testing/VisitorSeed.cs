using System.Collections.Immutable;
using System.Text.Json;
using Cossistant.Client.Testing.Internal;

namespace Cossistant.Client.Testing;

/// <summary>
/// What <see cref="CossistantEmulator.SeedVisitor"/> sets on one visitor: which visitor, its own feature flags and its
/// onboarding steps. Every method returns this builder, so a seed reads as one expression.
/// </summary>
/// <example>
/// <code>
/// var visitorId = emulator.SeedVisitor(seed => seed
///     .WithFlags(Support.NewMessage)
///     .WithStep(Support.Workspace, new WorkspaceMetadata("Acme"))
///     .WithCompletedStep(Support.InviteTeam));
/// </code>
/// </example>
public sealed class VisitorSeed
{
    private readonly List<string> _flags = [];
    private readonly Dictionary<string, StoredStep> _steps = new(StringComparer.Ordinal);
    private bool _flagsGiven;

    internal VisitorSeed()
    {
    }

    /// <summary>The visitor to seed, when one was named with <see cref="VisitorId"/>.</summary>
    internal string? ChosenVisitorId { get; private set; }

    /// <summary>
    /// Seeds this visitor instead of a new one: an existing visitor keeps its id, website and contact; an id the
    /// emulator does not know yet (a ULID, as the SDK generates) creates the visitor with it.
    /// </summary>
    /// <param name="visitorId">The visitor id.</param>
    /// <returns>This seed.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    public VisitorSeed VisitorId(string visitorId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(visitorId);
        ChosenVisitorId = visitorId;
        return this;
    }

    /// <summary>
    /// Adds declared flags to the visitor's own flags. Once any <c>WithFlags</c> is called, the seeded flags replace
    /// the visitor's own flags (its contact's and organization's still apply); without one they are left as they are.
    /// </summary>
    /// <param name="flags">The flags.</param>
    /// <returns>This seed.</returns>
    public VisitorSeed WithFlags(params FeatureFlag[] flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return WithFlags(flags.Select(flag => (flag ?? throw new ArgumentException("A flag is null.", nameof(flags))).Name).ToArray());
    }

    /// <summary>
    /// Adds flags by name to the visitor's own flags, normalized as the API stores them (trimmed, duplicates
    /// dropped, sorted). Once any <c>WithFlags</c> is called, the seeded flags replace the visitor's own flags.
    /// </summary>
    /// <param name="flags">The flag names.</param>
    /// <returns>This seed.</returns>
    /// <exception cref="ArgumentException">A name is empty after trimming, or contains a comma (the API refuses both).</exception>
    public VisitorSeed WithFlags(params string[] flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        foreach (var flag in flags)
        {
            if ((flag is null ? FlagNames.EmptyName : FlagNames.Problem(flag)) is { } problem)
            {
                throw new ArgumentException($"{problem} Got \"{flag}\".", nameof(flags));
            }
        }

        _flags.AddRange(flags);
        _flagsGiven = true;
        return this;
    }

    /// <summary>Seeds a completed step without metadata (see <see cref="WithStep(OnboardingStep, bool)"/>).</summary>
    /// <param name="step">The step.</param>
    /// <returns>This seed.</returns>
    public VisitorSeed WithCompletedStep(OnboardingStep step) => WithStep(step, completed: true);

    /// <summary>
    /// Seeds a step without metadata. Once any step is seeded, the seeded steps replace the visitor's onboarding
    /// (its contact's, once identified, as the API stores it); without one the onboarding is left as it is. Seeding
    /// a step twice keeps the last.
    /// </summary>
    /// <param name="step">The step.</param>
    /// <param name="completed">Whether it is completed.</param>
    /// <returns>This seed.</returns>
    public VisitorSeed WithStep(OnboardingStep step, bool completed)
    {
        ArgumentNullException.ThrowIfNull(step);
        return AddStep(step.Id, new StoredStep(completed, null));
    }

    /// <summary>
    /// Seeds a step with typed metadata, serialized with the step's own <see cref="OnboardingStep{TMetadata}.MetadataTypeInfo"/>
    /// exactly as the SDK sends it (see <see cref="WithStep(OnboardingStep, bool)"/> for what seeding steps replaces).
    /// </summary>
    /// <typeparam name="TMetadata">The step's metadata type.</typeparam>
    /// <param name="step">The step.</param>
    /// <param name="metadata">The metadata; <see langword="null"/> for none.</param>
    /// <param name="completed">Whether it is completed; default <see langword="true"/>.</param>
    /// <returns>This seed.</returns>
    /// <exception cref="ArgumentException">The metadata does not serialize to a JSON object.</exception>
    public VisitorSeed WithStep<TMetadata>(OnboardingStep<TMetadata> step, TMetadata? metadata, bool completed = true)
    {
        ArgumentNullException.ThrowIfNull(step);
        JsonElement? json = step.ToJson(metadata) is { } element ? JsonbOrder.Canonicalize(element) : null;
        return AddStep(step.Id, new StoredStep(completed, json));
    }

    /// <summary>The seeded own flags (stored form), or null when the seed names none.</summary>
    internal ImmutableArray<string>? Flags => _flagsGiven ? FlagNames.Normalize(_flags) : null;

    /// <summary>The seeded onboarding, or null when the seed names no step.</summary>
    internal StoredOnboarding? Onboarding => _steps.Count == 0 ? null : StoredOnboarding.FromSteps(_steps);

    private VisitorSeed AddStep(string id, StoredStep step)
    {
        _steps[id] = step;
        return this;
    }
}
