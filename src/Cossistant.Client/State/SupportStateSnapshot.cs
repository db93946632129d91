namespace Cossistant.Client;

/// <summary>
/// What the client shows at one moment: the support state (the server's last known state with pending
/// optimistic operations applied in order), the status and the last error. Immutable.
/// </summary>
public sealed class SupportStateSnapshot
{
    internal SupportStateSnapshot(
        SupportState state,
        SupportStateStatus status,
        Exception? error,
        int pendingOperations,
        long version,
        bool isSettled = true,
        bool[]? declaredFlags = null,
        bool isFromCache = false)
    {
        IsSettled = isSettled;
        IsFromCache = isFromCache;
        DeclaredFlags = declaredFlags ?? [];
        State = state;
        Status = status;
        Error = error;
        PendingOperations = pendingOperations;
        Version = version;
    }

    /// <summary>For each flag of the store's config, by declared index, whether <see cref="State"/> enables it.</summary>
    internal bool[] DeclaredFlags { get; }

    /// <summary>Before anything is loaded: empty, idle, version 0.</summary>
    internal static SupportStateSnapshot Initial { get; } = new(SupportState.Empty, SupportStateStatus.Idle, null, 0, 0);

    /// <summary>Exact test of a flag: a declared one is an array read, any other a lookup by name.</summary>
    internal bool IsEnabled(SupportConfig config, FeatureFlag flag) =>
        config.TryGetDeclaredIndex(flag, out var index) && index < DeclaredFlags.Length
            ? DeclaredFlags[index]
            : State.IsFeatureFlagEnabled(flag.Name);

    /// <summary>The state readers see.</summary>
    public SupportState State { get; }

    /// <summary>The status.</summary>
    public SupportStateStatus Status { get; }

    /// <summary>The error of the last failed fetch or operation while <see cref="Status"/> is <see cref="SupportStateStatus.Error"/>.</summary>
    public Exception? Error { get; }

    /// <summary>How many optimistic onboarding operations are waiting for the server's answer.</summary>
    public int PendingOperations { get; }

    /// <summary>
    /// Whether the state is known to match the server: no optimistic operation is waiting for its answer, and no
    /// outcome is unknown. It is <see langword="false"/> while a write is in flight, and after a write that may or
    /// may not have been applied (a timeout, a network error, a 5xx, a cancellation, or an answer overtaken by
    /// another tab's change) until the client has asked the server once more; meanwhile <see cref="State"/> is the
    /// client's best guess.
    /// </summary>
    public bool IsSettled { get; }

    /// <summary>
    /// Whether <see cref="State"/> is the last-known state saved by an earlier run rather than an answer of the server
    /// in this one: from the moment it is loaded (<see cref="SupportStateStatus.Cached"/>) until the server's first
    /// answer or event replaces it, also while that fetch runs or after it failed.
    /// </summary>
    public bool IsFromCache { get; }

    /// <summary>Grows by one with every published snapshot of a client.</summary>
    public long Version { get; }

    /// <inheritdoc />
    public override string ToString() => $"#{Version} {Status}{(IsSettled ? string.Empty : " (unsettled)")}{(IsFromCache ? " (from cache)" : string.Empty)}: {State}";
}
