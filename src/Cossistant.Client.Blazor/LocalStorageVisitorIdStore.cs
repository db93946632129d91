using Microsoft.JSInterop;

namespace Cossistant.Client.Blazor;

/// <summary>Keeps the visitor id in the browser's localStorage, so a returning visitor stays the same visitor.</summary>
/// <param name="js">The JavaScript runtime of the circuit or the WebAssembly app.</param>
/// <param name="key">The localStorage key.</param>
public sealed class LocalStorageVisitorIdStore(IJSRuntime js, string key = "cossistant_visitor_id") : IVisitorIdStore
{
    /// <inheritdoc />
    public ValueTask<string?> GetVisitorIdAsync(CancellationToken cancellationToken) =>
        js.InvokeAsync<string?>("localStorage.getItem", cancellationToken, key);

    /// <inheritdoc />
    public ValueTask SetVisitorIdAsync(string visitorId, CancellationToken cancellationToken) =>
        js.InvokeVoidAsync("localStorage.setItem", cancellationToken, key, visitorId);
}
