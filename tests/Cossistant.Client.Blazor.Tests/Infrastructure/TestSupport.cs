namespace Cossistant.Client.Blazor.Tests.Infrastructure;

/// <summary>The app's declared flags and steps, as a Blazor app using the SDK would write them.</summary>
internal static class TestSupport
{
    public static readonly FeatureFlag NewMessage = new("new-message");
    public static readonly FeatureFlag BillingV2 = new("billing-v2");
    public static readonly OnboardingStep<WorkspaceMetadata> Workspace =
        new("workspace", TestJsonContext.Default.WorkspaceMetadata, isFirst: true);

    public static readonly OnboardingStep InviteTeam = new("invite-team");
    public static readonly OnboardingStep Done = new("done", isLast: true);
    public static readonly SupportConfig Config = SupportConfig.Create([NewMessage, BillingV2], [Workspace, InviteTeam, Done]);
}
