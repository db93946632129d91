namespace Cossistant.Client;

/// <summary>
/// Server-side access to any visitor, contact or contact organization with the private key: stateless (it holds no
/// visitor), thread-safe, and meant to be a singleton (<c>AddCossistant</c> registers one). Mock this interface to
/// unit-test app code; the typed overloads in <see cref="CossistantServerClientExtensions"/> call its members.
/// </summary>
public interface ICossistantServerClient
{
    /// <summary>The app's declared flags and steps.</summary>
    SupportConfig Support { get; }

    /// <summary>Reads a visitor's support state from the server (<c>GET /support/state</c>) and refreshes the process's cache with it.</summary>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The visitor's state.</returns>
    /// <exception cref="ArgumentException">The id is not a ULID.</exception>
    /// <exception cref="CossistantApiException">The call failed (404 when the visitor does not exist for this website).</exception>
    Task<SupportState> GetVisitorSupportStateAsync(string visitorId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a visitor's support state from the process's cache while it is younger than
    /// <see cref="CossistantClientOptions.StateTimeToLive"/> (no allocation, no request); otherwise asks the server,
    /// and concurrent readers of one visitor share that one request.
    /// </summary>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="cancellationToken">Stops waiting; a shared request still completes for the other readers.</param>
    /// <returns>The visitor's state.</returns>
    /// <exception cref="ArgumentException">The id is not a ULID.</exception>
    /// <exception cref="CossistantApiException">The call failed.</exception>
    ValueTask<SupportState> GetCachedVisitorSupportStateAsync(string visitorId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes a visitor's onboarding (<c>PATCH /support/onboarding</c>): the update rule applies on the server (to the
    /// contact once the visitor is linked). The answer refreshes the cache and every session of the visitor in this
    /// process; the visitor's sockets receive the change as an event.
    /// </summary>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="update">The update.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The visitor's full state after the update.</returns>
    /// <exception cref="ArgumentException">The id is not a ULID.</exception>
    /// <exception cref="CossistantApiException">The call failed.</exception>
    Task<SupportState> UpdateVisitorOnboardingAsync(string visitorId, OnboardingUpdate update, CancellationToken cancellationToken = default);

    /// <summary>
    /// Links a visitor to a contact (<c>POST /contacts/identify</c>); the visitor's cached state is refreshed (the
    /// contact's onboarding wins once linked).
    /// </summary>
    /// <param name="visitorId">The visitor id (a ULID).</param>
    /// <param name="request">Who the visitor is: at least an external id or an email.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contact and visitor id.</returns>
    /// <exception cref="ArgumentException">The id is not a ULID, or the request has neither an external id nor an email.</exception>
    /// <exception cref="CossistantApiException">The call failed.</exception>
    Task<IdentifyResult> IdentifyVisitorAsync(string visitorId, IdentifyRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes a visitor's, contact's or contact organization's own flags (<c>PATCH /support/feature-flags</c>; needs
    /// the private key). The visitors it reaches that this process knows are refreshed at once (the visitor; every
    /// visitor known to be linked to the contact or to a contact of the organization); their sockets receive the
    /// change as events.
    /// </summary>
    /// <param name="target">Whose flags change.</param>
    /// <param name="operation">Add, remove or set.</param>
    /// <param name="flags">Flag names: each non-empty after trimming, without a comma. Checked before sending.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target's own flags after the change.</returns>
    /// <exception cref="InvalidOperationException">No private key is configured.</exception>
    /// <exception cref="ArgumentException">A flag name is invalid (the server's message).</exception>
    /// <exception cref="CossistantApiException">The call failed (404 when the target does not exist).</exception>
    Task<FeatureFlagMutationResult> MutateSupportFeatureFlagsAsync(
        FeatureFlagTarget target, FeatureFlagOperation operation, IEnumerable<string> flags, CancellationToken cancellationToken = default);
}
