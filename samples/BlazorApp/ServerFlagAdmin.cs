using BlazorApp.Client.Demo;
using Cossistant.Client;

namespace BlazorApp;

/// <summary>On the server: flips the flag with the private key. The circuits showing that visitor re-render at once.</summary>
internal sealed class ServerFlagAdmin(ICossistantServerClient server) : IFlagAdmin
{
    public async Task<bool> ToggleAsync(string visitorId, string flag)
    {
        var target = FeatureFlagTarget.Visitor(visitorId);
        var own = await server.GetVisitorSupportStateAsync(visitorId);
        var operation = own.IsFeatureFlagEnabled(flag) ? FeatureFlagOperation.Remove : FeatureFlagOperation.Add;
        var result = await server.MutateSupportFeatureFlagsAsync(target, operation, [flag]);
        return result.Flags.Contains(flag);
    }
}
