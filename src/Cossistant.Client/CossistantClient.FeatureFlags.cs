using Cossistant.Client.Protocol;

namespace Cossistant.Client;

public sealed partial class CossistantClient
{
    /// <summary>
    /// Changes a visitor's, contact's or contact organization's own flags (<c>PATCH /support/feature-flags</c>).
    /// Server-side only: needs <see cref="CossistantClientOptions.PrivateApiKey"/>. The local state does not
    /// change here: affected visitors receive the change through realtime events (or a refetch).
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
        ArgumentNullException.ThrowIfNull(flags);
        return MutateSupportFeatureFlagsAsync(target, operation, flags.Select(flag => flag?.Name!), cancellationToken);
    }

    /// <summary>Changes a target's own flags by name (see the typed overload). Names are checked before sending.</summary>
    /// <param name="target">Whose flags change.</param>
    /// <param name="operation">Add, remove or set.</param>
    /// <param name="flags">Flag names: each non-empty after trimming, without a comma.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target's own flags after the change.</returns>
    /// <exception cref="InvalidOperationException">No private key is configured.</exception>
    /// <exception cref="ArgumentException">A flag name is invalid (the server's message).</exception>
    public async Task<FeatureFlagMutationResult> MutateSupportFeatureFlagsAsync(
        FeatureFlagTarget target, FeatureFlagOperation operation, IEnumerable<string> flags, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(flags);
        if (!Enum.IsDefined(operation))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "Use Add, Remove or Set.");
        }

        if (string.IsNullOrEmpty(_options.PrivateApiKey))
        {
            throw new InvalidOperationException(
                "MutateSupportFeatureFlagsAsync needs CossistantClientOptions.PrivateApiKey: flag mutations are server-side only.");
        }

        string[] names = [.. flags];
        if (!SupportFeatureFlags.TryValidateMutationFlags(names, out var error))
        {
            throw new ArgumentException(error, nameof(flags));
        }

        return await _http.SendAsync(
            HttpMethod.Patch,
            "/support/feature-flags",
            null,
            new FeatureFlagMutationRequest(target, operation, names),
            CossistantJsonContext.Default.FeatureFlagMutationRequest,
            CossistantJsonContext.Default.FeatureFlagMutationResult,
            cancellationToken).ConfigureAwait(false);
    }
}
