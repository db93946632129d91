using System.Text.Json;
using Cossistant.Client.Http;
using Cossistant.Client.Protocol;

namespace Cossistant.Client;

public sealed partial class CossistantSession
{
    /// <summary>
    /// Replaces a step's metadata (never merges); <see langword="null"/> clears it. Optimistic: readers see the
    /// change at once; on failure only this change is rolled back and the error is thrown.
    /// </summary>
    /// <typeparam name="TMetadata">The step's metadata type.</typeparam>
    /// <param name="step">A step declared in the <see cref="SupportConfig"/>.</param>
    /// <param name="metadata">The metadata, or <see langword="null"/> to clear it.</param>
    /// <param name="cancellationToken">Cancels the call (the change is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    public Task<SupportState> SetOnboardingMetadataAsync<TMetadata>(
        OnboardingStep<TMetadata> step, TMetadata? metadata, CancellationToken cancellationToken = default)
    {
        _runtime.Support.CheckDeclared(step);
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
    /// <param name="step">A step declared in the <see cref="SupportConfig"/>.</param>
    /// <param name="cancellationToken">Cancels the call (the change is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    public Task<SupportState> CompleteOnboardingStepAsync(OnboardingStep step, CancellationToken cancellationToken = default)
    {
        _runtime.Support.CheckDeclared(step);
        return UpdateOnboardingAsync(OnboardingUpdate.Complete(step.Id), cancellationToken);
    }

    /// <summary>Marks a step completed by id. Optimistic.</summary>
    /// <param name="stepId">The step id (non-empty).</param>
    /// <param name="cancellationToken">Cancels the call (the change is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    public Task<SupportState> CompleteOnboardingStepAsync(string stepId, CancellationToken cancellationToken = default) =>
        UpdateOnboardingAsync(OnboardingUpdate.Complete(stepId), cancellationToken);

    /// <summary>Marks a declared step not completed. Optimistic.</summary>
    /// <param name="step">A step declared in the <see cref="SupportConfig"/>.</param>
    /// <param name="cancellationToken">Cancels the call (the change is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    public Task<SupportState> UncompleteOnboardingStepAsync(OnboardingStep step, CancellationToken cancellationToken = default)
    {
        _runtime.Support.CheckDeclared(step);
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
    /// Sends any onboarding update (<c>PATCH /support/onboarding</c>) optimistically: it is applied locally at once and
    /// sent after the visitor's earlier requests in this process were answered, so the server applies them in call
    /// order. The server's full state then becomes the base. On failure only this update is rolled back, the error is
    /// recorded in <see cref="SupportStateSnapshot"/> and thrown; when the write may have been applied anyway (a
    /// timeout, a network error, a 5xx or a cancellation after it was sent), the session then asks the server
    /// (<see cref="SupportStateSnapshot.IsSettled"/> is <see langword="false"/> until it has).
    /// </summary>
    /// <param name="update">The update.</param>
    /// <param name="cancellationToken">Cancels the call (the update is then rolled back).</param>
    /// <returns>The state readers see after the server's answer.</returns>
    /// <exception cref="ObjectDisposedException">The session is disposed (also while the call runs).</exception>
    /// <exception cref="CossistantException">The visitor is blocked, or the call failed.</exception>
    public async Task<SupportState> UpdateOnboardingAsync(OnboardingUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        RequireUsable(nameof(UpdateOnboardingAsync));
        cancellationToken.ThrowIfCancellationRequested();
        using var call = Link(cancellationToken);
        var operation = _store.Begin(update);
        try
        {
            await _entry.Lane.WaitAsync(call.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _store.Fail(operation, null); // never sent: rolled back, nothing to ask
            ThrowIfClosedDuring(cancellationToken);
            throw;
        }

        SupportState answer;
        try
        {
            _store.MarkSent(operation);
            answer = await _runtime.Http.SendAsync(
                ApiOperation.UpdateOnboarding,
                VisitorId,
                update,
                CossistantJsonContext.Default.OnboardingUpdate,
                CossistantJsonContext.Default.SupportState,
                call.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The ticket is taken before the lane opens, so a request sent next is known to come after this outcome.
            var cancelled = exception is OperationCanceledException && call.IsCancellationRequested;
            var endedAt = cancelled || WriteOutcome.IsUnknown(exception) ? _runtime.Tickets.Next() : 0;
            _entry.Lane.Release();
            _store.Fail(operation, cancelled ? null : exception, endedAt); // a cancellation the caller asked for is no error
            if (endedAt != 0)
            {
                _entry.Invalidate();
            }

            if (!cancelled)
            {
                Log.OperationRolledBack(_runtime.Logger, update.StepId, exception);
            }

            SettleIfNeeded();
            ThrowIfClosedDuring(cancellationToken);
            throw;
        }

        var answeredAt = _runtime.Tickets.Next();
        _entry.Lane.Release(); // off the wire: the next request may go while the store takes the answer
        _store.Complete(operation, answer, answeredAt);
        _entry.Publish(answer, operation.SentTicket, this);
        SettleIfNeeded();
        return _store.Snapshot.State;
    }

    /// <summary>
    /// Links the visitor to a contact (<c>POST /contacts/identify</c>), then reloads the support state (the contact's
    /// onboarding wins once linked; the visitor's is copied to a contact that has none).
    /// </summary>
    /// <param name="request">Who the visitor is: at least an external id or an email.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contact and visitor id.</returns>
    /// <exception cref="ArgumentException">Neither an external id nor an email, or another visitor id in the request.</exception>
    /// <exception cref="CossistantException">The visitor is blocked, or a call failed.</exception>
    public async Task<IdentifyResult> IdentifyAsync(IdentifyRequest request, CancellationToken cancellationToken = default)
    {
        IdentifyRequest.Check(request, VisitorId);
        RequireUsable(nameof(IdentifyAsync));
        using var call = Link(cancellationToken);
        IdentifyResult result;
        try
        {
            result = await _entry.IdentifyAsync(request, call.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ThrowIfClosedDuring(cancellationToken);
            throw;
        }

        await FetchSupportStateAsync(force: true, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
