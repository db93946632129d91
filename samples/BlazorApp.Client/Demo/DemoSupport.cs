using System.Text.Json;
using System.Text.Json.Serialization;
using Cossistant.Client;

namespace BlazorApp.Client.Demo;

/// <summary>The demo's declared flag and onboarding steps (one with typed metadata).</summary>
public static class DemoSupport
{
    public static readonly FeatureFlag NewMessage = new("new-message");

    public static readonly OnboardingStep<WorkspaceMetadata> Workspace = new("workspace", DemoJson.Default.WorkspaceMetadata, isFirst: true);

    public static readonly OnboardingStep InviteTeam = new("invite-team");

    public static readonly OnboardingStep Done = new("done", isLast: true);

    public static readonly SupportConfig Config = SupportConfig.Create([NewMessage], [Workspace, InviteTeam, Done]);
}

/// <summary>The workspace step's metadata.</summary>
public sealed record WorkspaceMetadata(string? WorkspaceName);

/// <summary>What the WebAssembly app reads from its host at start: where the API is, and the website's public key.</summary>
public sealed record BrowserConfig(string ApiUrl, string RealtimeUrl, string PublicKey);

/// <summary>Turns a flag on or off for a visitor on the server (a button in the page asks for it).</summary>
public interface IFlagAdmin
{
    Task<bool> ToggleAsync(string visitorId, string flag);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WorkspaceMetadata))]
[JsonSerializable(typeof(BrowserConfig))]
[JsonSerializable(typeof(bool))]
internal sealed partial class DemoJson : JsonSerializerContext;
