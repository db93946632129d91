using System.Runtime.CompilerServices;
using Cossistant.Client.Testing.Internal;

namespace Cossistant.Client.Testing;

/// <summary>
/// Waits for a client's or session's support state in tests: on the change itself (the snapshots' observable, current
/// snapshot first), never by polling, and bounded. A wait that times out throws a <see cref="TimeoutException"/> that
/// says what was awaited and what the state is (visitor, status, flags, onboarding, error).
/// </summary>
/// <example>
/// <code>
/// emulator.SeedVisitor(seed => seed.VisitorId(client.VisitorId!).WithFlags(Support.NewMessage));
/// await client.WaitForFeatureFlagAsync(Support.NewMessage, enabled: true);
/// </code>
/// </example>
public static class SupportStateWaitExtensions
{
    /// <summary>The bound of a wait that names none: 5 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = Waits.DefaultTimeout;

    /// <summary>
    /// Waits until a snapshot whose status is <see cref="SupportStateStatus.Success"/> has the flag enabled (or
    /// disabled), so the empty state before anything is loaded never counts as "disabled". Completes at once when the
    /// current snapshot already has it.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="flag">The flag.</param>
    /// <param name="enabled">The awaited value.</param>
    /// <param name="timeout">The bound; default <see cref="DefaultTimeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The first snapshot with the flag so.</returns>
    /// <exception cref="TimeoutException">The bound passed first; the message says what the state is now.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed first.</exception>
    public static Task<SupportStateSnapshot> WaitForFeatureFlagAsync(
        this CossistantClient client, FeatureFlag flag, bool enabled, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return client.WaitForFeatureFlagAsync(flag.Name, enabled, timeout, cancellationToken);
    }

    /// <summary>Waits for a flag by name (see the overload with a <see cref="FeatureFlag"/>).</summary>
    /// <param name="client">The client.</param>
    /// <param name="flag">The flag name (exact, case-sensitive).</param>
    /// <param name="enabled">The awaited value.</param>
    /// <param name="timeout">The bound; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The first snapshot with the flag so.</returns>
    /// <exception cref="TimeoutException">The bound passed first.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed first.</exception>
    public static Task<SupportStateSnapshot> WaitForFeatureFlagAsync(
        this CossistantClient client, string flag, bool enabled, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(flag);
        return SnapshotWaiter.WaitAsync(
            client.SupportStateChanges, () => SnapshotWaiter.Describe(client.VisitorId, client.SupportStateSnapshot), FlagIs(flag, enabled),
            FlagWhat(flag, enabled), "client", Waits.Bound(timeout, nameof(timeout)), cancellationToken);
    }

    /// <summary>Waits until a snapshot satisfies a predicate; completes at once when the current one does.</summary>
    /// <param name="client">The client.</param>
    /// <param name="predicate">The awaited condition. An exception it throws fails the wait.</param>
    /// <param name="timeout">The bound; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <param name="predicateText">The predicate's source text, filled in by the compiler for the timeout message.</param>
    /// <returns>The first matching snapshot.</returns>
    /// <exception cref="TimeoutException">The bound passed first.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed first.</exception>
    public static Task<SupportStateSnapshot> WaitForSupportStateAsync(
        this CossistantClient client, Func<SupportStateSnapshot, bool> predicate, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default, [CallerArgumentExpression(nameof(predicate))] string? predicateText = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(predicate);
        return SnapshotWaiter.WaitAsync(
            client.SupportStateChanges, () => SnapshotWaiter.Describe(client.VisitorId, client.SupportStateSnapshot), predicate,
            PredicateWhat(predicateText), "client", Waits.Bound(timeout, nameof(timeout)), cancellationToken);
    }

    /// <summary>
    /// Waits until a snapshot of the session whose status is <see cref="SupportStateStatus.Success"/> has the flag
    /// enabled (or disabled). Completes at once when the current snapshot already has it.
    /// </summary>
    /// <param name="session">The session.</param>
    /// <param name="flag">The flag.</param>
    /// <param name="enabled">The awaited value.</param>
    /// <param name="timeout">The bound; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The first snapshot with the flag so.</returns>
    /// <exception cref="TimeoutException">The bound passed first.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed first.</exception>
    public static Task<SupportStateSnapshot> WaitForFeatureFlagAsync(
        this CossistantSession session, FeatureFlag flag, bool enabled, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return session.WaitForFeatureFlagAsync(flag.Name, enabled, timeout, cancellationToken);
    }

    /// <summary>Waits for a flag of the session by name (see the overload with a <see cref="FeatureFlag"/>).</summary>
    /// <param name="session">The session.</param>
    /// <param name="flag">The flag name (exact, case-sensitive).</param>
    /// <param name="enabled">The awaited value.</param>
    /// <param name="timeout">The bound; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The first snapshot with the flag so.</returns>
    /// <exception cref="TimeoutException">The bound passed first.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed first.</exception>
    public static Task<SupportStateSnapshot> WaitForFeatureFlagAsync(
        this CossistantSession session, string flag, bool enabled, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(flag);
        return SnapshotWaiter.WaitAsync(
            session.SupportStateChanges, () => SnapshotWaiter.Describe(session.VisitorId, session.SupportStateSnapshot), FlagIs(flag, enabled),
            FlagWhat(flag, enabled), "session", Waits.Bound(timeout, nameof(timeout)), cancellationToken);
    }

    /// <summary>Waits until a snapshot of the session satisfies a predicate; completes at once when the current one does.</summary>
    /// <param name="session">The session.</param>
    /// <param name="predicate">The awaited condition. An exception it throws fails the wait.</param>
    /// <param name="timeout">The bound; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <param name="predicateText">The predicate's source text, filled in by the compiler for the timeout message.</param>
    /// <returns>The first matching snapshot.</returns>
    /// <exception cref="TimeoutException">The bound passed first.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed first.</exception>
    public static Task<SupportStateSnapshot> WaitForSupportStateAsync(
        this CossistantSession session, Func<SupportStateSnapshot, bool> predicate, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default, [CallerArgumentExpression(nameof(predicate))] string? predicateText = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(predicate);
        return SnapshotWaiter.WaitAsync(
            session.SupportStateChanges, () => SnapshotWaiter.Describe(session.VisitorId, session.SupportStateSnapshot), predicate,
            PredicateWhat(predicateText), "session", Waits.Bound(timeout, nameof(timeout)), cancellationToken);
    }

    private static Func<SupportStateSnapshot, bool> FlagIs(string flag, bool enabled) =>
        snapshot => snapshot.Status == SupportStateStatus.Success && snapshot.State.IsFeatureFlagEnabled(flag) == enabled;

    private static string FlagWhat(string flag, bool enabled) =>
        $"feature flag \"{flag}\" to be {(enabled ? "enabled" : "disabled")} in a loaded state (status Success)";

    private static string PredicateWhat(string? predicateText) =>
        predicateText is { Length: > 0 } ? $"a support state where {predicateText}" : "a support state matching the predicate";
}
