namespace Cossistant.Client.Blazor;

/// <summary>How the Blazor integration runs the client (see <c>AddBlazor</c>).</summary>
public sealed class CossistantBlazorOptions
{
    /// <summary>The localStorage key that keeps the visitor id in the browser. Default <c>cossistant_visitor_id</c>.</summary>
    public string VisitorIdStorageKey { get; set; } = "cossistant_visitor_id";

    /// <summary>
    /// Whether the provider opens the realtime socket once the state is loaded. Default: yes in WebAssembly (one
    /// socket per tab, like the TypeScript SDK), no on a server (no socket per circuit: the factory's cache keeps
    /// circuits fresh, and changes made by the server re-render the affected circuits at once).
    /// </summary>
    public bool? ConnectRealtime { get; set; }

    internal bool ShouldConnectRealtime => ConnectRealtime ?? OperatingSystem.IsBrowser();
}
