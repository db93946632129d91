using Cossistant.Client;
using Cossistant.Client.Blazor;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.JSInterop;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Blazor wiring for <c>AddCossistant</c>.</summary>
public static class CossistantBlazorExtensions
{
    /// <summary>
    /// Registers the <see cref="CossistantClient"/> a <see cref="SupportProvider"/> uses: a scoped one created by the
    /// registration's <see cref="CossistantSessionFactory"/>, with the visitor id in the browser's localStorage. On a
    /// server that is one client per circuit, sharing the factory's HTTP stack and cache and opening no socket by
    /// default; in WebAssembly it is the tab's client, with a socket (credentials in the query, as browsers need).
    /// </summary>
    /// <param name="builder">The registration (the default one; Blazor uses one website per app).</param>
    /// <param name="configure">Changes the Blazor options.</param>
    /// <returns>The builder.</returns>
    public static CossistantBuilder AddBlazor(this CossistantBuilder builder, Action<CossistantBlazorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Name is not null)
        {
            throw new InvalidOperationException("AddBlazor works on the default registration (AddCossistant without a name).");
        }

        var options = new CossistantBlazorOptions();
        configure?.Invoke(options);
        builder.Services.TryAddSingleton(options);
        builder.Services.TryAddScoped(provider => provider.GetRequiredService<CossistantSessionFactory>().CreateClient(
            new LocalStorageVisitorIdStore(provider.GetRequiredService<IJSRuntime>(), options.VisitorIdStorageKey)));
        return builder;
    }
}
