namespace Cossistant.Client.Tests.Models;

/// <summary>The model factory builds what app tests need, with the SDK's own rules (diffs, settled by default).</summary>
public sealed class CossistantModelFactoryTests
{
    [Fact]
    public void SupportStateSnapshot_Defaults_SuccessSettledVersionOneEmptyState()
    {
        var snapshot = CossistantModelFactory.SupportStateSnapshot();

        Assert.Equal(SupportState.Empty, snapshot.State);
        Assert.Equal(SupportStateStatus.Success, snapshot.Status);
        Assert.Null(snapshot.Error);
        Assert.Equal(0, snapshot.PendingOperations);
        Assert.Equal(1, snapshot.Version);
        Assert.True(snapshot.IsSettled);
    }

    [Fact]
    public void SupportStateSnapshot_PendingOperations_NotSettledUnlessSaid()
    {
        var state = new SupportState(["beta"]);
        var error = new CossistantApiException("boom");

        var pending = CossistantModelFactory.SupportStateSnapshot(state, SupportStateStatus.Error, error, pendingOperations: 2, version: 7);

        Assert.Same(state, pending.State);
        Assert.Same(error, pending.Error);
        Assert.Equal(2, pending.PendingOperations);
        Assert.Equal(7, pending.Version);
        Assert.False(pending.IsSettled);
        Assert.True(CossistantModelFactory.SupportStateSnapshot(state, pendingOperations: 1, isSettled: true).IsSettled);
        Assert.Throws<ArgumentOutOfRangeException>(() => CossistantModelFactory.SupportStateSnapshot(pendingOperations: -1));
    }

    [Fact]
    public void SupportStateChangedEventArgs_ComputesFlagAndStepChanges()
    {
        var before = CossistantModelFactory.SupportStateSnapshot(new SupportState(["a", "b"]));
        var after = CossistantModelFactory.SupportStateSnapshot(
            new SupportState(["b", "c"], OnboardingState.Create([new("workspace", new OnboardingStepState(true, null))])), version: 2);

        var change = CossistantModelFactory.SupportStateChangedEventArgs(before, after);

        Assert.Same(before, change.Previous);
        Assert.Same(after, change.Current);
        Assert.Equal(["c"], change.FlagsAdded);
        Assert.Equal(["a"], change.FlagsRemoved);
        Assert.Equal(["workspace"], change.StepsChanged);
        Assert.Throws<ArgumentNullException>(() => CossistantModelFactory.SupportStateChangedEventArgs(null!, after));
    }

    [Fact]
    public void RealtimeConnectionState_AndItsChange_CarryEveryField()
    {
        var since = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var error = new CossistantRealtimeException("lost");
        var reconnecting = CossistantModelFactory.RealtimeConnectionState(
            RealtimeConnectionStatus.Reconnecting, since, error, failedAttempts: 3, nextAttemptAt: since.AddSeconds(2));
        var connected = CossistantModelFactory.RealtimeConnectionState(RealtimeConnectionStatus.Connected, since.AddSeconds(2), connectionId: "conn_1");

        var change = CossistantModelFactory.RealtimeConnectionStateChangedEventArgs(reconnecting, connected);

        Assert.Equal(RealtimeConnectionStatus.Reconnecting, change.Previous.Status);
        Assert.Same(error, change.Previous.LastError);
        Assert.Equal(3, change.Previous.FailedAttempts);
        Assert.Equal(since.AddSeconds(2), change.Previous.NextAttemptAt);
        Assert.False(change.Previous.IsPermanentFailure);
        Assert.Equal("conn_1", change.Current.ConnectionId);
        Assert.Equal(since.AddSeconds(2), change.Current.Since);
    }
}
