using Cossistant.Client.Threading;
using Cossistant.Client.State;

namespace Cossistant.Client.Tests.State;

/// <summary>The typed flag check: a declared instance is an array read per snapshot; anything else goes by name.</summary>
public sealed class DeclaredFlagTests
{
    [Fact]
    public void IsFeatureFlagEnabled_DeclaredFlag_FollowsEveryState()
    {
        var on = new FeatureFlag("on");
        var off = new FeatureFlag("off");
        var store = Store(SupportConfig.Create([on, off]));
        Assert.False(store.IsFeatureFlagEnabled(on));

        store.TryApplyServerState(new SupportState(["on", "undeclared"]), store.IssueTicket());
        Assert.True(store.IsFeatureFlagEnabled(on));
        Assert.False(store.IsFeatureFlagEnabled(off));

        store.TryApplyServerState(new SupportState(["off"]), store.IssueTicket());
        Assert.False(store.IsFeatureFlagEnabled(on));
        Assert.True(store.IsFeatureFlagEnabled(off));
    }

    [Fact]
    public void IsFeatureFlagEnabled_FlagSharedByTwoConfigsAtOtherPositions_RightInBoth()
    {
        var shared = new FeatureFlag("shared");
        var first = SupportConfig.Create([new FeatureFlag("a"), shared]);
        var second = SupportConfig.Create([shared, new FeatureFlag("b")]); // index 0 here, index 1 in the first
        var one = Store(first);
        var two = Store(second);
        one.TryApplyServerState(new SupportState(["shared"]), one.IssueTicket());
        two.TryApplyServerState(new SupportState(["b"]), two.IssueTicket());

        Assert.True(one.IsFeatureFlagEnabled(shared));
        Assert.False(two.IsFeatureFlagEnabled(shared));
        Assert.True(two.IsFeatureFlagEnabled(new FeatureFlag("b"))); // another instance of a declared name: by name
        Assert.False(one.IsFeatureFlagEnabled(new FeatureFlag("loose")));
    }

    private static SupportStateStore Store(SupportConfig config) => new(config, new TicketSource(), _ => { }, _ => { });
}
