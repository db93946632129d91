using System.Text.Json.Serialization;

namespace Cossistant.Client.IntegrationTests.Http;

/// <summary>Typed metadata of the <c>workspace</c> step.</summary>
public sealed record WorkspaceMetadata(string WorkspaceName);

/// <summary>The tests' source-generated JSON metadata (trimming/AOT-safe path of typed steps).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WorkspaceMetadata))]
public sealed partial class TestJsonContext : JsonSerializerContext;

/// <summary>A typed support config like an app declares it.</summary>
public static class TestSupport
{
    public static readonly FeatureFlag NewMessage = new("new-message");
    public static readonly FeatureFlag BillingV2 = new("billing-v2");
    public static readonly OnboardingStep<WorkspaceMetadata> Workspace = new("workspace", TestJsonContext.Default.WorkspaceMetadata, isFirst: true);
    public static readonly OnboardingStep InviteTeam = new("invite-team");
    public static readonly OnboardingStep Done = new("done", isLast: true);
    public static readonly SupportConfig Config = SupportConfig.Create([NewMessage, BillingV2], [Workspace, InviteTeam, Done]);
}
