using Microsoft.AspNetCore.Components.Rendering;

namespace Cossistant.Client.Blazor.Tests.Components;

/// <summary>
/// Re-renders on every change and shows the state it rendered. Placed after the components under test, it subscribes
/// after them, so once it has rendered a change, every render that change queued before it has run (the renderer's
/// dispatcher runs work in order).
/// </summary>
internal sealed class RenderProbe : SupportComponentBase
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        var support = Support;
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "id", "probe");
        builder.AddAttribute(2, "data-loaded", support.HasLoaded ? "true" : "false");
        builder.AddAttribute(3, "data-flags", string.Join(",", support.Flags.Order(StringComparer.Ordinal)));
        builder.CloseElement();
    }
}
