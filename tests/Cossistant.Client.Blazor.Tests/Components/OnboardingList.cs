using Cossistant.Client.Blazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Rendering;

namespace Cossistant.Client.Blazor.Tests.Components;

/// <summary>An app's onboarding checklist: the steps in config order, each with its completion, and the workspace's typed metadata.</summary>
internal sealed class OnboardingList : SupportComponentBase
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        var onboarding = Support.Onboarding;
        builder.OpenElement(0, "ol");
        builder.AddAttribute(1, "data-current", onboarding.CurrentStepId ?? string.Empty);
        foreach (var step in onboarding.Steps)
        {
            builder.OpenElement(2, "li");
            builder.SetKey(step.Id);
            builder.AddAttribute(3, "id", "step-" + step.Id);
            builder.AddAttribute(4, "data-completed", step.Completed ? "true" : "false");
            builder.AddContent(5, step.Id);
            builder.CloseElement();
        }

        builder.CloseElement();
        if (onboarding.GetMetadata(TestSupport.Workspace) is { } workspace)
        {
            builder.OpenElement(6, "p");
            builder.AddAttribute(7, "id", "workspace");
            builder.AddContent(8, $"{workspace.WorkspaceName} ({workspace.Seats} seats)");
            builder.CloseElement();
        }
    }
}
