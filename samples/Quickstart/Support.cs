using System.Text.Json;
using System.Text.Json.Serialization;
using Cossistant.Client;

namespace Quickstart;

/// <summary>The app's support config: declared once, validated when the type is first used.</summary>
public static class Support
{
    public static readonly FeatureFlag NewMessage = new("new-message");
    public static readonly FeatureFlag BillingV2 = new("billing-v2");

    public static readonly OnboardingStep<WorkspaceMetadata> Workspace =
        new("workspace", AppJsonContext.Default.WorkspaceMetadata, isFirst: true);

    public static readonly OnboardingStep<InviteTeamMetadata> InviteTeam =
        new("invite-team", AppJsonContext.Default.InviteTeamMetadata);

    public static readonly OnboardingStep Done = new("done", isLast: true);

    public static readonly SupportConfig Config = SupportConfig.Create([NewMessage, BillingV2], [Workspace, InviteTeam, Done]);
}

/// <summary>Metadata stored with the workspace step.</summary>
public sealed record WorkspaceMetadata(string? WorkspaceName);

/// <summary>Metadata stored with the invite-team step.</summary>
public sealed record InviteTeamMetadata(IReadOnlyList<string>? InvitedEmails);

/// <summary>Source-generated JSON for the metadata types (trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WorkspaceMetadata))]
[JsonSerializable(typeof(InviteTeamMetadata))]
internal sealed partial class AppJsonContext : JsonSerializerContext;
