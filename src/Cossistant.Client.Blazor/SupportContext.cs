using System.Text.Json;

namespace Cossistant.Client.Blazor;

/// <summary>
/// What a <see cref="SupportProvider"/> cascades to everything inside it: the visitor's feature flags and onboarding
/// (the React hooks <c>useFeatureFlag</c>, <c>useFeatureFlags</c> and <c>useOnboarding</c> in one object) and their
/// actions. Take it as <c>[CascadingParameter] SupportContext</c>, or derive from <see cref="SupportComponentBase"/>
/// to re-render on every change. Every member is thread-safe.
/// </summary>
public sealed class SupportContext
{
    private readonly CossistantClient _client;
    private Exception? _startError;
    private volatile bool _hasLoaded;

    internal SupportContext(CossistantClient client, SupportConfig support)
    {
        _client = client;
        Support = support;
        _hasLoaded = IsShown(client.SupportStateSnapshot); // another provider may have loaded it
        _client.SupportStateChanged += OnClientChanged;
    }

    /// <summary>
    /// Raised after every change of the state (any thread, in order). Components re-render through their renderer's
    /// dispatcher: <see cref="SupportComponentBase"/> does it for you.
    /// </summary>
    public event EventHandler<SupportStateChangedEventArgs>? Changed;

    /// <summary>The app's declared flags and steps.</summary>
    public SupportConfig Support { get; }

    /// <summary>The client underneath (its visitor, realtime state and every call).</summary>
    public CossistantClient Client => _client;

    /// <summary>The state with its status, error, pending operations and whether it is settled.</summary>
    public SupportStateSnapshot Snapshot => _client.SupportStateSnapshot;

    /// <summary>Idle, loading, success or error (an error while finding the visitor counts).</summary>
    public SupportStateStatus Status => _startError is not null && !_hasLoaded ? SupportStateStatus.Error : Snapshot.Status;

    /// <summary>The last failure, or <see langword="null"/>.</summary>
    public Exception? Error => Snapshot.Error ?? (_hasLoaded ? null : _startError);

    /// <summary>Whether the state is still coming: nothing loaded yet and no error (also during server prerendering).</summary>
    public bool IsLoading => !_hasLoaded && Error is null;

    /// <summary>Whether the visitor's state has loaded at least once (from the server, or the last-known state an earlier run saved).</summary>
    public bool HasLoaded => _hasLoaded;

    /// <summary>The enabled flags (empty until loaded).</summary>
    public IReadOnlyList<string> Flags => Snapshot.State.FeatureFlags;

    /// <summary>The onboarding steps in config order with completion and metadata; before anything loads, the current step is the first one.</summary>
    public OnboardingSnapshot Onboarding => _client.GetOnboarding();

    /// <summary>The current onboarding step's id: the first step not completed (the first configured step before anything loads).</summary>
    public string? CurrentStepId => Onboarding.CurrentStepId;

    /// <summary>Whether a declared flag is enabled: false before the state loads, after an error with no data, and while prerendering.</summary>
    /// <param name="flag">The flag.</param>
    /// <returns>Whether it is enabled.</returns>
    public bool IsEnabled(FeatureFlag flag) => _client.IsFeatureFlagEnabled(flag);

    /// <summary>Whether a flag is enabled, by name.</summary>
    /// <param name="flag">The flag name.</param>
    /// <returns>Whether it is enabled.</returns>
    public bool IsEnabled(string flag) => _client.IsFeatureFlagEnabled(flag);

    /// <summary>Asks the server again (a forced fetch), finding the visitor first if needed.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the state is loaded.</returns>
    public async Task RefetchAsync(CancellationToken cancellationToken = default)
    {
        if (_client.VisitorId is null)
        {
            await _client.FetchWebsiteAsync(cancellationToken).ConfigureAwait(false);
        }

        await _client.FetchSupportStateAsync(force: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks a declared step completed: applied at once, rolled back (and thrown) on failure.</summary>
    /// <param name="step">The step.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state after the server's answer.</returns>
    public Task<SupportState> CompleteStepAsync(OnboardingStep step, CancellationToken cancellationToken = default) =>
        _client.CompleteOnboardingStepAsync(step, cancellationToken);

    /// <summary>Marks a declared step not completed: applied at once, rolled back (and thrown) on failure.</summary>
    /// <param name="step">The step.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state after the server's answer.</returns>
    public Task<SupportState> UncompleteStepAsync(OnboardingStep step, CancellationToken cancellationToken = default) =>
        _client.UncompleteOnboardingStepAsync(step, cancellationToken);

    /// <summary>Replaces a step's typed metadata (<see langword="null"/> clears it): applied at once, rolled back on failure.</summary>
    /// <typeparam name="TMetadata">The step's metadata type.</typeparam>
    /// <param name="step">The step.</param>
    /// <param name="metadata">The metadata.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state after the server's answer.</returns>
    public Task<SupportState> SetMetadataAsync<TMetadata>(OnboardingStep<TMetadata> step, TMetadata? metadata, CancellationToken cancellationToken = default) =>
        _client.SetOnboardingMetadataAsync(step, metadata, cancellationToken);

    /// <summary>Replaces a step's metadata by id (<see langword="null"/> clears it).</summary>
    /// <param name="stepId">The step id.</param>
    /// <param name="metadata">A JSON object, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state after the server's answer.</returns>
    public Task<SupportState> SetMetadataAsync(string stepId, JsonElement? metadata, CancellationToken cancellationToken = default) =>
        _client.SetOnboardingMetadataAsync(stepId, metadata, cancellationToken);

    /// <summary>Clears all onboarding progress: applied at once, rolled back on failure.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state after the server's answer.</returns>
    public Task<SupportState> ResetAsync(CancellationToken cancellationToken = default) => _client.ResetOnboardingAsync(cancellationToken);

    /// <summary>
    /// Finds the visitor (a stored id is kept), loads its state and, when asked, opens the realtime socket (not awaited:
    /// its state is in <see cref="CossistantClient.RealtimeConnectionState"/>). A failure is kept in <see cref="Error"/>.
    /// </summary>
    internal async Task StartAsync(bool connectRealtime, CancellationToken cancellationToken)
    {
        try
        {
            if (_client.VisitorId is null)
            {
                await _client.FetchWebsiteAsync(cancellationToken).ConfigureAwait(false);
            }

            await _client.FetchSupportStateAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (connectRealtime)
            {
                _ = _client.ConnectRealtimeAsync(CancellationToken.None).ContinueWith(
                    static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not ObjectDisposedException)
        {
            Volatile.Write(ref _startError, exception);
            var now = Snapshot;
            Changed?.Invoke(this, CossistantModelFactory.SupportStateChangedEventArgs(now, now));
        }
    }

    /// <summary>A state from the server, or the visitor's last-known state from an earlier run, counts as loaded.</summary>
    private static bool IsShown(SupportStateSnapshot snapshot) => snapshot.Status == SupportStateStatus.Success || snapshot.IsFromCache;

    internal void Detach() => _client.SupportStateChanged -= OnClientChanged;

    private void OnClientChanged(object? sender, SupportStateChangedEventArgs change)
    {
        if (IsShown(change.Current))
        {
            _hasLoaded = true;
        }

        Changed?.Invoke(this, change);
    }
}
