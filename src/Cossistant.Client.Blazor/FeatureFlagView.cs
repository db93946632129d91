using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Cossistant.Client.Blazor;

/// <summary>
/// Shows one of three contents for a feature flag, the way <c>AuthorizeView</c> does for a user:
/// <see cref="Enabled"/> (or <see cref="ChildContent"/>), <see cref="Disabled"/>, and <see cref="Loading"/> until the
/// state is known. Server prerendering shows <see cref="Loading"/>, never the wrong content. It re-renders only when
/// what it shows changes.
/// </summary>
/// <example>
/// <code>
/// &lt;FeatureFlagView Flag="Support.NewMessage"&gt;
///     &lt;Enabled&gt;&lt;button&gt;New message&lt;/button&gt;&lt;/Enabled&gt;
///     &lt;Loading&gt;…&lt;/Loading&gt;
/// &lt;/FeatureFlagView&gt;
/// </code>
/// </example>
public sealed class FeatureFlagView : SupportComponentBase
{
    private Phase _rendered = Phase.None;

    private enum Phase
    {
        None,
        Loading,
        Enabled,
        Disabled,
    }

    /// <summary>The declared flag; or set <see cref="Name"/>.</summary>
    [Parameter]
    public FeatureFlag? Flag { get; set; }

    /// <summary>The flag by name, for flags known only at run time.</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>Shown while the flag is enabled.</summary>
    [Parameter]
    public RenderFragment? Enabled { get; set; }

    /// <summary>Shown while the flag is enabled, when <see cref="Enabled"/> is not set.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Shown while the flag is disabled (also after an error with no state loaded).</summary>
    [Parameter]
    public RenderFragment? Disabled { get; set; }

    /// <summary>Shown until the state is known (also during server prerendering).</summary>
    [Parameter]
    public RenderFragment? Loading { get; set; }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if ((Flag is null) == (Name is null))
        {
            throw new InvalidOperationException("FeatureFlagView needs exactly one of Flag and Name.");
        }

        base.OnParametersSet();
    }

    /// <inheritdoc />
    protected override bool ShouldRenderOnChange(SupportStateChangedEventArgs change) => Current() != _rendered;

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        _rendered = Current();
        builder.AddContent(0, _rendered switch
        {
            Phase.Loading => Loading,
            Phase.Enabled => Enabled ?? ChildContent,
            _ => Disabled,
        });
    }

    private Phase Current()
    {
        var context = Support;
        if (context.IsLoading)
        {
            return Phase.Loading;
        }

        var enabled = Flag is not null ? context.IsEnabled(Flag) : context.IsEnabled(Name!);
        return enabled ? Phase.Enabled : Phase.Disabled;
    }
}
