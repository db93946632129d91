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
    /// Sends any onboarding update (<c>PATCH /support/onboarding</c>) optimistically: it is applied locally at once
    /// and sent after the visitor's earlier requests were answered, so the server applies the visitor's writes in
    /// call order. The server's full state then becomes the base. On failure only this update is rolled back, the
    /// error is recorded in <see cref="SupportStateSnapshot"/> and thrown; when the write may have been applied anyway
    /// (a timeout, a network error, a 5xx or a cancellation after it was sent), the client then asks the server
    /// (<see cref="SupportStateSnapshot.IsSettled"/> is <see langword="false"/> until it has).
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
            await _lane.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _store.Fail(operation, null); // never sent: rolled back, nothing to ask
            throw;
        }

        SupportState answer;
        try
        {
            _store.MarkSent(operation);
            answer = await _http.SendAsync(
                HttpMethod.Patch,
                "/support/onboarding",
                visitorId,
                update,
                CossistantJsonContext.Default.OnboardingUpdate,
                CossistantJsonContext.Default.SupportState,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The ticket is taken before the lane opens, so any request sent next is known to come after this outcome.
            var cancelled = exception is OperationCanceledException && cancellationToken.IsCancellationRequested;
            var endedAt = cancelled || IsOutcomeUnknown(exception) ? _store.IssueTicket() : 0;
            _lane.Release();
            _store.Fail(operation, cancelled ? null : exception, endedAt); // a cancellation the caller asked for is no error
            if (!cancelled)
            {
                Log.OperationRolledBack(_logger, update.StepId, exception);
            }

            SettleIfNeeded();
            throw;
        }

        var answeredAt = _store.IssueTicket();
        _lane.Release(); // off the wire: the next request may go while the store takes the answer
        _store.Complete(operation, answer, answeredAt);
        SettleIfNeeded();
        return _store.Snapshot.State;
    }

    /// <summary>
    /// Whether a write that was sent and then failed may have been applied: no answer at all (network error,
    /// timeout), a 408 or 5xx (a gateway may answer after the server changed), or a success it could not read. A
    /// 4xx refusal (validation, keys, not found, rate limit) was not applied.
    /// </summary>
    private static bool IsOutcomeUnknown(Exception exception) =>
        exception is not CossistantException { StatusCode: { } status } || status is 408 or >= 500 or (>= 200 and < 300);

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
