using System.Text.Json;

namespace Cossistant.Client;

/// <summary>Typed overloads of <see cref="ICossistantServerClient"/>: declared flags and steps, typed metadata.</summary>
public static class CossistantServerClientExtensions
{
    /// <summary>Whether a declared flag is enabled for a visitor, read through the process's cache (no allocation on a hit).</summary>
    /// <param name="client">The server client.</param>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="flag">The flag.</param>
    /// <param name="cancellationToken">Stops waiting when the state must be fetched.</param>
    /// <returns><see langword="true"/> when the flag is enabled for the visitor.</returns>
    public static ValueTask<bool> IsFeatureFlagEnabledAsync(
        this ICossistantServerClient client, string visitorId, FeatureFlag flag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(flag);
        var read = client.GetCachedVisitorSupportStateAsync(visitorId, cancellationToken);
        return read.IsCompletedSuccessfully
            ? new ValueTask<bool>(read.Result.IsFeatureFlagEnabled(flag.Name))
            : ReadAsync(read, flag.Name);

        static async ValueTask<bool> ReadAsync(ValueTask<SupportState> read, string name) =>
            (await read.ConfigureAwait(false)).IsFeatureFlagEnabled(name);
    }

    /// <summary>Changes a target's own flags with declared flags (see <see cref="ICossistantServerClient.MutateSupportFeatureFlagsAsync"/>).</summary>
    /// <param name="client">The server client.</param>
    /// <param name="target">Whose flags change.</param>
    /// <param name="operation">Add, remove or set.</param>
    /// <param name="flags">Declared flags.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target's own flags after the change.</returns>
    public static Task<FeatureFlagMutationResult> MutateSupportFeatureFlagsAsync(
        this ICossistantServerClient client,
        FeatureFlagTarget target,
        FeatureFlagOperation operation,
        IEnumerable<FeatureFlag> flags,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(flags);
        return client.MutateSupportFeatureFlagsAsync(target, operation, flags.Select(flag => flag?.Name!), cancellationToken);
    }

    /// <summary>Marks a visitor's declared step completed.</summary>
    /// <param name="client">The server client.</param>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="step">A step declared in the client's <see cref="SupportConfig"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The visitor's full state after the update.</returns>
    public static Task<SupportState> CompleteOnboardingStepAsync(
        this ICossistantServerClient client, string visitorId, OnboardingStep step, CancellationToken cancellationToken = default) =>
        Declared(client, step).UpdateVisitorOnboardingAsync(visitorId, OnboardingUpdate.Complete(step.Id), cancellationToken);

    /// <summary>Marks a visitor's declared step not completed.</summary>
    /// <param name="client">The server client.</param>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="step">A step declared in the client's <see cref="SupportConfig"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The visitor's full state after the update.</returns>
    public static Task<SupportState> UncompleteOnboardingStepAsync(
        this ICossistantServerClient client, string visitorId, OnboardingStep step, CancellationToken cancellationToken = default) =>
        Declared(client, step).UpdateVisitorOnboardingAsync(visitorId, OnboardingUpdate.Uncomplete(step.Id), cancellationToken);

    /// <summary>Replaces a visitor's step metadata with typed metadata (never merges); <see langword="null"/> clears it.</summary>
    /// <typeparam name="TMetadata">The step's metadata type.</typeparam>
    /// <param name="client">The server client.</param>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="step">A step declared in the client's <see cref="SupportConfig"/>.</param>
    /// <param name="metadata">The metadata, or <see langword="null"/> to clear it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The visitor's full state after the update.</returns>
    public static Task<SupportState> SetOnboardingMetadataAsync<TMetadata>(
        this ICossistantServerClient client, string visitorId, OnboardingStep<TMetadata> step, TMetadata? metadata, CancellationToken cancellationToken = default) =>
        Declared(client, step).UpdateVisitorOnboardingAsync(visitorId, OnboardingUpdate.SetMetadata(step.Id, step.ToJson(metadata)), cancellationToken);

    /// <summary>Replaces a visitor's step metadata by step id; <see langword="null"/> clears it.</summary>
    /// <param name="client">The server client.</param>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="stepId">The step id (non-empty).</param>
    /// <param name="metadata">A JSON object, or <see langword="null"/> to clear.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The visitor's full state after the update.</returns>
    public static Task<SupportState> SetOnboardingMetadataAsync(
        this ICossistantServerClient client, string visitorId, string stepId, JsonElement? metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.UpdateVisitorOnboardingAsync(visitorId, OnboardingUpdate.SetMetadata(stepId, metadata), cancellationToken);
    }

    /// <summary>Clears a visitor's onboarding progress.</summary>
    /// <param name="client">The server client.</param>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The visitor's full state after the update.</returns>
    public static Task<SupportState> ResetOnboardingAsync(
        this ICossistantServerClient client, string visitorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.UpdateVisitorOnboardingAsync(visitorId, OnboardingUpdate.Reset(), cancellationToken);
    }

    private static ICossistantServerClient Declared(ICossistantServerClient client, OnboardingStep step)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Support.CheckDeclared(step);
        return client;
    }
}
