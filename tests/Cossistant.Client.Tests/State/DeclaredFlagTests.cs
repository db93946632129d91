using Cossistant.Client.State;

namespace Cossistant.Client.Tests.State;

public sealed class DeclaredFlagTests
{
    [Fact]
    public void IsDeclaredFlagEnabled_FlagOfTheStoresConfig_FollowsEveryState()
    {
        var on = new FeatureFlag("on");
        var off = new FeatureFlag("off");
        var store = new SupportStateStore(_ => { }, SupportConfig.Create([on, off]));
        Assert.False(store.IsDeclaredFlagEnabled(on));

        store.TryApplyServerState(new SupportState(["on", "undeclared"]), store.IssueTicket());
        Assert.True(store.IsDeclaredFlagEnabled(on));
        Assert.False(store.IsDeclaredFlagEnabled(off));

        store.TryApplyServerState(new SupportState(["off"]), store.IssueTicket());
        Assert.False(store.IsDeclaredFlagEnabled(on));
        Assert.True(store.IsDeclaredFlagEnabled(off));
    }

    [Fact]
    public void IsDeclaredFlagEnabled_FlagClaimedByAnotherConfigOrUndeclared_FallsBackToTheName()
    {
        var shared = new FeatureFlag("shared");
        var first = SupportConfig.Create([new FeatureFlag("a"), shared]);
        var second = SupportConfig.Create([shared]); // index 0 here, index 1 in the first config
        var store = new SupportStateStore(_ => { }, second);
        store.TryApplyServerState(new SupportState(["shared", "loose"]), store.IssueTicket());

        Assert.Same(first, shared.Slot!.Config);
        Assert.True(store.IsDeclaredFlagEnabled(shared));
        Assert.True(store.IsDeclaredFlagEnabled(new FeatureFlag("loose")));
        Assert.False(store.IsDeclaredFlagEnabled(new FeatureFlag("a")));
    }
}
