using Cossistant.Client;

namespace AspNetCoreSample;

/// <summary>The app's declared flags and onboarding steps.</summary>
internal static class Support
{
    public static readonly FeatureFlag NewMessage = new("new-message");
    public static readonly OnboardingStep Workspace = new("workspace", isFirst: true);
    public static readonly OnboardingStep InviteTeam = new("invite-team");
    public static readonly OnboardingStep Done = new("done", isLast: true);
    public static readonly SupportConfig Config = SupportConfig.Create([NewMessage], [Workspace, InviteTeam, Done]);
}

/// <summary>What <c>GET /me/support</c> answers.</summary>
internal sealed record VisitorSupport(IReadOnlyList<string> Flags, bool NewMessage, string? CurrentStep);
