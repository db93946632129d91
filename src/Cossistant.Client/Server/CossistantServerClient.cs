using Cossistant.Client.Http;
using Cossistant.Client.Protocol;
using Cossistant.Client.Sessions;
using Cossistant.Client.Visitors;

namespace Cossistant.Client;

/// <summary>
/// The server client (see <see cref="ICossistantServerClient"/>). Get the one that shares a factory's cache from
/// <see cref="CossistantSessionFactory.ServerClient"/> or dependency injection; create one on its own only for a
/// script or a tool.
/// </summary>
public sealed class CossistantServerClient : ICossistantServerClient, IAsyncDisposable
{
    private readonly CossistantRuntime _runtime;
    private readonly bool _ownsRuntime;

    /// <summary>Creates a server client with a runtime (HTTP stack and cache) of its own.</summary>
    /// <param name="options">The options, usually with <see cref="CossistantClientOptions.PrivateApiKey"/>; validated and copied.</param>
    /// <param name="httpClient">An HTTP client the caller owns, or <see langword="null"/> for one of its own.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each field and its fix.</exception>
    public CossistantServerClient(CossistantClientOptions options, HttpClient? httpClient = null)
        : this(new CossistantRuntime(options, httpClient), ownsRuntime: true)
    {
    }

    internal CossistantServerClient(CossistantRuntime runtime, bool ownsRuntime = false)
    {
        _runtime = runtime;
        _ownsRuntime = ownsRuntime;
    }

    /// <inheritdoc />
    public SupportConfig Support => _runtime.Support;

    /// <inheritdoc />
    public async Task<SupportState> GetVisitorSupportStateAsync(string visitorId, CancellationToken cancellationToken = default)
    {
        var (state, _) = await Entry(visitorId).FetchAsync(cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <inheritdoc />
    public ValueTask<SupportState> GetCachedVisitorSupportStateAsync(string visitorId, CancellationToken cancellationToken = default)
    {
        if (_runtime.Cache.TryGet(visitorId, out var entry) && entry.TryGetFresh(out var state, out _))
        {
            return new ValueTask<SupportState>(state);
        }

        return new ValueTask<SupportState>(LoadAsync(visitorId, cancellationToken));
    }

    /// <inheritdoc />
    public async Task<SupportState> UpdateVisitorOnboardingAsync(string visitorId, OnboardingUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var entry = Entry(visitorId);
        SupportState answer;
        long ticket;
        try
        {
            (answer, ticket) = await entry.SendAsync(
                token => _runtime.Http.SendAsync(
                    ApiOperation.UpdateOnboarding,
                    visitorId,
                    update,
                    CossistantJsonContext.Default.OnboardingUpdate,
                    CossistantJsonContext.Default.SupportState,
                    token),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException || WriteOutcome.IsUnknown(exception))
        {
            _runtime.Cache.Refresh(entry); // it may have been applied: ask again
            throw;
        }

        entry.Publish(answer, ticket, null);
        return answer;
    }

    /// <inheritdoc />
    public async Task<IdentifyResult> IdentifyVisitorAsync(string visitorId, IdentifyRequest request, CancellationToken cancellationToken = default)
    {
        IdentifyRequest.Check(request, visitorId);
        var entry = Entry(visitorId);
        var result = await entry.IdentifyAsync(request, cancellationToken).ConfigureAwait(false);
        _runtime.Cache.Refresh(entry); // the contact's onboarding may now win
        return result;
    }

    /// <inheritdoc />
    public async Task<FeatureFlagMutationResult> MutateSupportFeatureFlagsAsync(
        FeatureFlagTarget target, FeatureFlagOperation operation, IEnumerable<string> flags, CancellationToken cancellationToken = default)
    {
        _runtime.ThrowIfDisposed(this);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(flags);
        if (!Enum.IsDefined(operation))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "Use Add, Remove or Set.");
        }

        if (string.IsNullOrEmpty(_runtime.Options.PrivateApiKey))
        {
            throw new InvalidOperationException(
                "MutateSupportFeatureFlagsAsync needs CossistantClientOptions.PrivateApiKey: flag mutations are server-side only.");
        }

        string[] names = [.. flags];
        if (!SupportFeatureFlags.TryValidateMutationFlags(names, out var error))
        {
            throw new ArgumentException(error, nameof(flags));
        }

        try
        {
            var result = await _runtime.Http.SendAsync(
                ApiOperation.MutateFeatureFlags,
                null,
                new FeatureFlagMutationRequest(target, operation, names),
                CossistantJsonContext.Default.FeatureFlagMutationRequest,
                CossistantJsonContext.Default.FeatureFlagMutationResult,
                cancellationToken).ConfigureAwait(false);
            _runtime.Cache.RefreshAffected(target);
            return result;
        }
        catch (Exception exception) when (exception is OperationCanceledException || WriteOutcome.IsUnknown(exception))
        {
            _runtime.Cache.RefreshAffected(target); // it may have been applied
            throw;
        }
    }

    /// <summary>Disposes the runtime when this client created its own; a factory's server client is disposed with the factory.</summary>
    /// <returns>A task that completes when done.</returns>
    public ValueTask DisposeAsync() => _ownsRuntime ? _runtime.DisposeAsync() : default;

    private VisitorEntry Entry(string visitorId)
    {
        _runtime.ThrowIfDisposed(this);
        VisitorIds.ThrowIfInvalid(visitorId, nameof(visitorId));
        return _runtime.Cache.GetOrAdd(visitorId);
    }

    private async Task<SupportState> LoadAsync(string visitorId, CancellationToken cancellationToken)
    {
        var (state, _) = await Entry(visitorId).LoadAsync(collapse: true).WaitAsync(cancellationToken).ConfigureAwait(false);
        return state;
    }
}
