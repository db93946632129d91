using System.Text.Json;
using Cossistant.Client.Protocol;

namespace Cossistant.Client;

public sealed partial class CossistantClient
{
    /// <summary>
    /// Replaces a step's metadata (never merges); <see langword="null"/> clears it. Optimistic: readers see the
    /// change at once; on failure only this change is rolled back and the error is thrown.
    /// </summary>
    /// <typeparam name="TMetadata">The step's metadata type.</typeparam>
    /// <param name="step">A step declared in the client's <see cref="SupportConfig"/>.</param>
    /// <param name="metadata">The metadata, or <see langword="null"/> to clear it.</param>
    /// <param name="cancellationToken">Cancels the call (the change is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    public Task<SupportState> SetOnboardingMetadataAsync<TMetadata>(
        OnboardingStep<TMetadata> step, TMetadata? metadata, CancellationToken cancellationToken = default)
    {
        CheckDeclared(step);
        return UpdateOnboardingAsync(OnboardingUpdate.SetMetadata(step.Id, step.ToJson(metadata)), cancellationToken);
    }

    /// <summary>Replaces a step's metadata by step id (the dynamic path); <see langword="null"/> clears it. Optimistic.</summary>
    /// <param name="stepId">The step id (non-empty).</param>
    /// <param name="metadata">A JSON object, or <see langword="null"/> to clear.</param>
    /// <param name="cancellationToken">Cancels the call (the change is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    public Task<SupportState> SetOnboardingMetadataAsync(string stepId, JsonElement? metadata, CancellationToken cancellationToken = default) =>
        UpdateOnboardingAsync(OnboardingUpdate.SetMetadata(stepId, metadata), cancellationToken);

    /// <summary>Marks a declared step completed. Optimistic.</summary>
    /// <param name="step">A step declared in the client's <see cref="SupportConfig"/>.</param>
    /// <param name="cancellationToken">Cancels the call (the change is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    public Task<SupportState> CompleteOnboardingStepAsync(OnboardingStep step, CancellationToken cancellationToken = default)
    {
        CheckDeclared(step);
        return UpdateOnboardingAsync(OnboardingUpdate.Complete(step.Id), cancellationToken);
    }

    /// <summary>Marks a step completed by id. Optimistic.</summary>
    /// <param name="stepId">The step id (non-empty).</param>
    /// <param name="cancellationToken">Cancels the call (the change is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    public Task<SupportState> CompleteOnboardingStepAsync(string stepId, CancellationToken cancellationToken = default) =>
        UpdateOnboardingAsync(OnboardingUpdate.Complete(stepId), cancellationToken);

    /// <summary>Marks a declared step not completed. Optimistic.</summary>
    /// <param name="step">A step declared in the client's <see cref="SupportConfig"/>.</param>
    /// <param name="cancellationToken">Cancels the call (the change is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    public Task<SupportState> UncompleteOnboardingStepAsync(OnboardingStep step, CancellationToken cancellationToken = default)
    {
        CheckDeclared(step);
        return UpdateOnboardingAsync(OnboardingUpdate.Uncomplete(step.Id), cancellationToken);
    }

    /// <summary>Marks a step not completed by id. Optimistic.</summary>
    /// <param name="stepId">The step id (non-empty).</param>
    /// <param name="cancellationToken">Cancels the call (the change is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    public Task<SupportState> UncompleteOnboardingStepAsync(string stepId, CancellationToken cancellationToken = default) =>
        UpdateOnboardingAsync(OnboardingUpdate.Uncomplete(stepId), cancellationToken);

    /// <summary>Clears all onboarding progress. Optimistic.</summary>
    /// <param name="cancellationToken">Cancels the call (the change is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    public Task<SupportState> ResetOnboardingAsync(CancellationToken cancellationToken = default) =>
        UpdateOnboardingAsync(OnboardingUpdate.Reset(), cancellationToken);

    /// <summary>
    /// Sends any onboarding update (<c>PATCH /support/onboarding</c>) optimistically: it is applied locally first;
    /// the server's full state then becomes the base unless newer state arrived meanwhile; on failure only this
    /// update is removed, the error is recorded in <see cref="SupportStateSnapshot"/> and thrown.
    /// </summary>
    /// <param name="update">The update.</param>
    /// <param name="cancellationToken">Cancels the call (the update is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    /// <exception cref="InvalidOperationException">No visitor yet (call <see cref="FetchWebsiteAsync"/>).</exception>
    /// <exception cref="CossistantException">The visitor is blocked, or the call failed.</exception>
    public async Task<SupportState> UpdateOnboardingAsync(OnboardingUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var visitorId = RequireVisitor(nameof(UpdateOnboardingAsync));
        cancellationToken.ThrowIfCancellationRequested();
        var operation = _store.Begin(update);
        try
        {
            var state = await _http.SendAsync(
                HttpMethod.Patch,
                "/support/onboarding",
                visitorId,
                update,
                CossistantJsonContext.Default.OnboardingUpdate,
                CossistantJsonContext.Default.SupportState,
                cancellationToken).ConfigureAwait(false);
            _store.Complete(operation, state);
            return _store.Snapshot.State;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _store.Fail(operation, null); // rolled back; the caller asked for it, so it is not an error
            throw;
        }
        catch (Exception exception)
        {
            _store.Fail(operation, exception);
            Log.OperationRolledBack(_logger, update.StepId, exception);
            throw;
        }
    }

    private void CheckDeclared(OnboardingStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var config = _options.Support;
        if (config.HasOnboarding && config.FindOnboardingStep(step.Id) is null)
        {
            throw new ArgumentException(
                $"Onboarding step \"{step.Id}\" is not declared in the client's SupportConfig; declare it, or use the string overload.",
                nameof(step));
        }
    }
}
