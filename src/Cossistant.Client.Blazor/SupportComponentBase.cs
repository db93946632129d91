using Microsoft.AspNetCore.Components;

namespace Cossistant.Client.Blazor;

/// <summary>
/// A component that reads the <see cref="SupportContext"/> of the nearest <see cref="SupportProvider"/> and
/// re-renders, through its renderer's dispatcher, after every change of the state. Override
/// <see cref="ShouldRenderOnChange"/> to re-render only for the changes it shows. Used outside a provider, it throws.
/// </summary>
public abstract class SupportComponentBase : ComponentBase, IDisposable
{
    private SupportContext? _subscribed;

    /// <summary>The support context of the nearest <see cref="SupportProvider"/>.</summary>
    [CascadingParameter]
    public SupportContext? SupportContext { get; set; }

    /// <summary>The context, checked: a component outside a <see cref="SupportProvider"/> has none.</summary>
    protected SupportContext Support =>
        SupportContext ?? throw new InvalidOperationException(
            $"{GetType().Name} must be inside a <SupportProvider>: it reads the support state the provider cascades.");

    /// <summary>Stops listening to the context.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        var context = Support;
        if (!ReferenceEquals(context, _subscribed))
        {
            Unsubscribe();
            context.Changed += OnChanged;
            _subscribed = context;
        }
    }

    /// <summary>Whether a change of the state should re-render this component; by default every change does.</summary>
    /// <param name="change">The change.</param>
    /// <returns><see langword="true"/> to re-render.</returns>
    protected virtual bool ShouldRenderOnChange(SupportStateChangedEventArgs change) => true;

    /// <summary>Stops listening to the context.</summary>
    /// <param name="disposing">Whether <see cref="Dispose()"/> called it.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Unsubscribe();
        }
    }

    private void Unsubscribe()
    {
        if (_subscribed is { } context)
        {
            context.Changed -= OnChanged;
            _subscribed = null;
        }
    }

    private void OnChanged(object? sender, SupportStateChangedEventArgs change)
    {
        if (ShouldRenderOnChange(change))
        {
            _ = InvokeAsync(StateHasChanged);
        }
    }
}
