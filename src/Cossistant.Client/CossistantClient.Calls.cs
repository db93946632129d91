using System.Text.Json;
using Cossistant.Client.Sessions;

namespace Cossistant.Client;

/// <summary>The seed's calls, each run on the current visitor's session.</summary>
public sealed partial class CossistantClient
{
    /// <summary>
    /// Raised when the current session's realtime connection state changes (connecting, connected, reconnecting,
    /// disconnected), in order, on a background thread.
    /// </summary>
    public event EventHandler<RealtimeConnectionStateChangedEventArgs>? RealtimeConnectionStateChanged;

    /// <summary>The realtime connection state: status, since when, last error, whether the failure is permanent.</summary>
    public RealtimeConnectionState RealtimeConnectionState => _binding.Session?.RealtimeConnectionState ?? _runtime.NeverConnected;

    /// <summary>Exact, case-sensitive test of a declared flag: lock-free and allocation-free. False until state is loaded.</summary>
    /// <param name="flag">The flag.</param>
    /// <returns><see langword="true"/> when the flag is enabled for the visitor.</returns>
    public bool IsFeatureFlagEnabled(FeatureFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return _binding.Session?.Store.IsFeatureFlagEnabled(flag) ?? false;
    }

    /// <summary>Exact, case-sensitive test of a flag by name: lock-free and allocation-free. False until state is loaded.</summary>
    /// <param name="flag">The flag name.</param>
    /// <returns><see langword="true"/> when the flag is enabled for the visitor.</returns>
    public bool IsFeatureFlagEnabled(string flag) => SupportStateSnapshot.State.IsFeatureFlagEnabled(flag);

    /// <summary>The onboarding progress through the client's <see cref="SupportConfig"/>: steps, current step, completion.</summary>
    /// <returns>The snapshot.</returns>
    public OnboardingSnapshot GetOnboarding() => Support.GetOnboardingSnapshot(SupportStateSnapshot.State.Onboarding);

    /// <summary>
    /// Streams snapshots: the current one first, then the latest after each change (a new visitor's too). A slow reader
    /// skips intermediate snapshots and always gets the newest. Ends when the client is disposed or the token cancels.
    /// </summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The snapshots.</returns>
    public IAsyncEnumerable<SupportStateSnapshot> WatchSupportStateAsync(CancellationToken cancellationToken = default) =>
        Threading.SnapshotStream.WatchAsync(_feed, cancellationToken);

    /// <inheritdoc cref="CossistantSession.FetchSupportStateAsync"/>
    /// <exception cref="InvalidOperationException">No visitor yet (call <see cref="FetchWebsiteAsync"/>).</exception>
    public Task<SupportState> FetchSupportStateAsync(bool force = false, CancellationToken cancellationToken = default) =>
        RequireSession(nameof(FetchSupportStateAsync)).FetchSupportStateAsync(force, cancellationToken);

    /// <inheritdoc cref="CossistantSession.SetOnboardingMetadataAsync{TMetadata}(OnboardingStep{TMetadata}, TMetadata, CancellationToken)"/>
    public Task<SupportState> SetOnboardingMetadataAsync<TMetadata>(
        OnboardingStep<TMetadata> step, TMetadata? metadata, CancellationToken cancellationToken = default) =>
        RequireSession(nameof(SetOnboardingMetadataAsync)).SetOnboardingMetadataAsync(step, metadata, cancellationToken);

    /// <inheritdoc cref="CossistantSession.SetOnboardingMetadataAsync(string, JsonElement?, CancellationToken)"/>
    public Task<SupportState> SetOnboardingMetadataAsync(string stepId, JsonElement? metadata, CancellationToken cancellationToken = default) =>
        RequireSession(nameof(SetOnboardingMetadataAsync)).SetOnboardingMetadataAsync(stepId, metadata, cancellationToken);

    /// <inheritdoc cref="CossistantSession.CompleteOnboardingStepAsync(OnboardingStep, CancellationToken)"/>
    public Task<SupportState> CompleteOnboardingStepAsync(OnboardingStep step, CancellationToken cancellationToken = default) =>
        RequireSession(nameof(CompleteOnboardingStepAsync)).CompleteOnboardingStepAsync(step, cancellationToken);

    /// <inheritdoc cref="CossistantSession.CompleteOnboardingStepAsync(string, CancellationToken)"/>
    public Task<SupportState> CompleteOnboardingStepAsync(string stepId, CancellationToken cancellationToken = default) =>
        RequireSession(nameof(CompleteOnboardingStepAsync)).CompleteOnboardingStepAsync(stepId, cancellationToken);

    /// <inheritdoc cref="CossistantSession.UncompleteOnboardingStepAsync(OnboardingStep, CancellationToken)"/>
    public Task<SupportState> UncompleteOnboardingStepAsync(OnboardingStep step, CancellationToken cancellationToken = default) =>
        RequireSession(nameof(UncompleteOnboardingStepAsync)).UncompleteOnboardingStepAsync(step, cancellationToken);

    /// <inheritdoc cref="CossistantSession.UncompleteOnboardingStepAsync(string, CancellationToken)"/>
    public Task<SupportState> UncompleteOnboardingStepAsync(string stepId, CancellationToken cancellationToken = default) =>
        RequireSession(nameof(UncompleteOnboardingStepAsync)).UncompleteOnboardingStepAsync(stepId, cancellationToken);

    /// <inheritdoc cref="CossistantSession.ResetOnboardingAsync"/>
    public Task<SupportState> ResetOnboardingAsync(CancellationToken cancellationToken = default) =>
        RequireSession(nameof(ResetOnboardingAsync)).ResetOnboardingAsync(cancellationToken);

    /// <inheritdoc cref="CossistantSession.UpdateOnboardingAsync"/>
    /// <exception cref="InvalidOperationException">No visitor yet (call <see cref="FetchWebsiteAsync"/>).</exception>
    public Task<SupportState> UpdateOnboardingAsync(OnboardingUpdate update, CancellationToken cancellationToken = default) =>
        RequireSession(nameof(UpdateOnboardingAsync)).UpdateOnboardingAsync(update, cancellationToken);

    /// <summary>
    /// Links the visitor to a contact (<c>POST /contacts/identify</c>), then reloads the support state (the contact's
    /// onboarding wins once linked; the visitor's is copied to a contact that has none). Should the server answer
    /// with another visitor, the client moves to it (a new session).
    /// </summary>
    /// <param name="request">Who the visitor is: at least an external id or an email.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contact and visitor id.</returns>
    /// <exception cref="ArgumentException">Neither an external id nor an email, or another visitor id in the request.</exception>
    /// <exception cref="InvalidOperationException">No visitor yet (call <see cref="FetchWebsiteAsync"/>).</exception>
    /// <exception cref="CossistantException">The visitor is blocked, or a call failed.</exception>
    public async Task<IdentifyResult> IdentifyAsync(IdentifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var session = RequireSession(nameof(IdentifyAsync));
        IdentifyRequest.Check(request, session.VisitorId);
        var result = await session.IdentifyAsync(request, cancellationToken).ConfigureAwait(false);
        var context = _binding.Context;
        if (context.Website is { Visitor: { } visitor } website && string.Equals(visitor.Id, session.VisitorId, StringComparison.Ordinal))
        {
            context = context with { Website = website with { Visitor = visitor with { Contact = result.Contact } } };
        }

        if (!string.IsNullOrEmpty(result.VisitorId) && !string.Equals(result.VisitorId, session.VisitorId, StringComparison.Ordinal)
            && Visitors.VisitorIds.IsValid(result.VisitorId))
        {
            context = context with { VisitorId = result.VisitorId };
        }

        await BindAsync(context).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Changes a visitor's, contact's or contact organization's own flags (<c>PATCH /support/feature-flags</c>).
    /// Server-side only: needs <see cref="CossistantClientOptions.PrivateApiKey"/>. This client's own state changes
    /// through realtime events or the refresh of the visitors it reaches.
    /// </summary>
    /// <param name="target">Whose flags change.</param>
    /// <param name="operation">Add, remove or set.</param>
    /// <param name="flags">Declared flags.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target's own flags after the change.</returns>
    /// <exception cref="InvalidOperationException">No private key is configured.</exception>
    public Task<FeatureFlagMutationResult> MutateSupportFeatureFlagsAsync(
        FeatureFlagTarget target, FeatureFlagOperation operation, IEnumerable<FeatureFlag> flags, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _runtime.ServerClient.MutateSupportFeatureFlagsAsync(target, operation, flags, cancellationToken);
    }

    /// <inheritdoc cref="ICossistantServerClient.MutateSupportFeatureFlagsAsync"/>
    public Task<FeatureFlagMutationResult> MutateSupportFeatureFlagsAsync(
        FeatureFlagTarget target, FeatureFlagOperation operation, IEnumerable<string> flags, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _runtime.ServerClient.MutateSupportFeatureFlagsAsync(target, operation, flags, cancellationToken);
    }

    /// <summary>
    /// Connects the realtime socket of the current visitor (if it is not running) and waits until it is connected; a
    /// later visitor's session connects too. After every re-established connection the state is refetched, since the
    /// server does not replay events. A lost connection is re-established with jittered backoff; a credentials failure
    /// stops it (see <see cref="RealtimeConnectionState"/>).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the connection keeps trying in the background).</param>
    /// <returns>A task that completes once connected.</returns>
    /// <exception cref="InvalidOperationException">No visitor yet (call <see cref="FetchWebsiteAsync"/>).</exception>
    /// <exception cref="CossistantRealtimeException">The server refused the credentials.</exception>
    public Task ConnectRealtimeAsync(CancellationToken cancellationToken = default)
    {
        var session = RequireSession(nameof(ConnectRealtimeAsync));
        _realtimeWanted = true;
        return session.ConnectRealtimeAsync(cancellationToken);
    }

    /// <summary>Closes the realtime socket and stops reconnecting; returns within about a second whatever the network does.</summary>
    /// <returns>A task that completes when the socket is closed.</returns>
    public Task DisconnectRealtimeAsync()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        _realtimeWanted = false;
        return _binding.Session?.DisconnectRealtimeAsync() ?? Task.CompletedTask;
    }

    /// <summary>
    /// Closes the realtime socket and connects again, also after a permanent failure (e.g. once the keys or the
    /// Origin are fixed), then waits until connected.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once connected.</returns>
    /// <exception cref="InvalidOperationException">No visitor yet (call <see cref="FetchWebsiteAsync"/>).</exception>
    /// <exception cref="CossistantRealtimeException">The server refused the credentials.</exception>
    public Task ReconnectRealtimeAsync(CancellationToken cancellationToken = default)
    {
        var session = RequireSession(nameof(ReconnectRealtimeAsync));
        _realtimeWanted = true;
        return session.ReconnectRealtimeAsync(cancellationToken);
    }

    /// <summary>
    /// Brings the client to ready within <paramref name="timeout"/>, in one call: the website and its visitor
    /// (<see cref="FetchWebsiteAsync"/>, unless known), the visitor's support state from the server, and the realtime
    /// socket connected when realtime is on (<see cref="CossistantRealtimeOptions.AutoConnect"/>, or
    /// <see cref="ConnectRealtimeAsync"/> called before). What is ready already is not asked again.
    /// </summary>
    /// <param name="timeout">The limit, on the options' <see cref="TimeProvider"/>; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The snapshot once ready.</returns>
    /// <exception cref="TimeoutException">Not ready in time; the message names the step still awaited.</exception>
    /// <exception cref="CossistantException">A step failed for good (refused keys, a blocked visitor).</exception>
    public Task<SupportStateSnapshot> EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        Readiness.ThrowIfInvalid(timeout);
        return Readiness.RunAsync(_runtime.Time, "client", timeout, async (readiness, token) =>
        {
            if (_binding.Context.WebsiteId is null)
            {
                readiness.Awaiting("the website (GET /websites)");
                await FetchWebsiteAsync(token).ConfigureAwait(false);
            }

            readiness.Awaiting("the support state");
            await FetchSupportStateAsync(cancellationToken: token).ConfigureAwait(false);
            if (_realtimeWanted || _runtime.Options.Realtime.AutoConnect)
            {
                readiness.Awaiting("the realtime connection");
                await ConnectRealtimeAsync(token).ConfigureAwait(false);
            }

            return SupportStateSnapshot;
        }, cancellationToken);
    }

    private void OnSessionRealtimeChanged(object? sender, RealtimeConnectionStateChangedEventArgs change)
    {
        if (!ReferenceEquals(sender, _binding.Session))
        {
            return;
        }

        try
        {
            RealtimeConnectionStateChanged?.Invoke(this, change);
        }
        catch (Exception exception)
        {
            Log.ChangeHandlerFailed(_runtime.Logger, exception);
        }
    }
}
