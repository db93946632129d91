using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace Cossistant.Client.Blazor;

/// <summary>
/// Provides the visitor's support state to everything inside it, like the React SDK's <c>SupportProvider</c>: it
/// cascades a <see cref="SupportContext"/>, and once the page is interactive it finds the visitor (its id is kept in
/// the browser's localStorage), loads the state and, when configured, opens the realtime socket. It uses the
/// <see cref="CossistantClient"/> that <c>AddCossistant(...).AddBlazor()</c> registers: one per circuit on a server,
/// one per tab in WebAssembly. Place it inside the interactive part of the page.
/// </summary>
public sealed class SupportProvider : ComponentBase, IDisposable
{
    private SupportContext? _context;

    /// <summary>The app's support config. It must be the one the registration was configured with; default that one.</summary>
    [Parameter]
    public SupportConfig? Support { get; set; }

    /// <summary>The content that reads the support state.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    [Inject]
    private IServiceProvider Services { get; set; } = null!;

    /// <summary>Stops listening to the client (the client itself belongs to the circuit or the app).</summary>
    public void Dispose() => _context?.Detach();

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        var client = Services.GetService<CossistantClient>() ?? throw new InvalidOperationException(
            "SupportProvider needs a CossistantClient: register one with services.AddCossistant(...).AddBlazor().");
        if (Support is not null && !ReferenceEquals(Support, client.Support))
        {
            throw new InvalidOperationException(
                "SupportProvider.Support is not the SupportConfig the Cossistant registration was configured with: pass the same instance (or leave it unset).");
        }

        _context = new SupportContext(client, client.Support);
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && _context is not null)
        {
            var options = Services.GetService<CossistantBlazorOptions>() ?? new CossistantBlazorOptions();
            await _context.StartAsync(options.ShouldConnectRealtime, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.OpenComponent<CascadingValue<SupportContext>>(0);
        builder.AddComponentParameter(1, nameof(CascadingValue<SupportContext>.Value), _context);
        builder.AddComponentParameter(2, nameof(CascadingValue<SupportContext>.IsFixed), true);
        builder.AddComponentParameter(3, nameof(CascadingValue<SupportContext>.ChildContent), ChildContent);
        builder.CloseComponent();
    }
}
