using System.Text.Json.Nodes;

namespace Cossistant.Client.Tool.Admin;

/// <summary>Writes a visitor's support state as text or as the API's JSON shape with the visitor id.</summary>
internal static class StateOutput
{
    /// <summary>Writes the state.</summary>
    /// <param name="context">The command's context.</param>
    /// <param name="visitorId">The visitor.</param>
    /// <param name="state">Its state (the union of flags; the onboarding it sees).</param>
    public static void Write(AdminContext context, string visitorId, SupportState state)
    {
        if (context.Json)
        {
            context.Console.WriteJson(ToJson(visitorId, state));
            return;
        }

        var console = context.Console;
        console.WriteLine($"visitor {visitorId}");
        console.WriteLine($"  feature flags: {List(state.FeatureFlags)}");
        var steps = state.Onboarding.Steps.OrderBy(step => step.Key, StringComparer.Ordinal).ToList();
        if (steps.Count == 0)
        {
            console.WriteLine("  onboarding: no progress");
            return;
        }

        console.WriteLine($"  onboarding: {steps.Count(step => step.Value.Completed)} of {steps.Count} steps completed");
        foreach (var (id, step) in steps)
        {
            var metadata = step.Metadata is { } value ? "  " + value.GetRawText() : string.Empty;
            console.WriteLine($"    [{(step.Completed ? 'x' : ' ')}] {id}{metadata}");
        }
    }

    /// <summary>The JSON object: <c>{"visitorId", "featureFlags", "onboarding": {"steps": {...}}}</c>.</summary>
    /// <param name="visitorId">The visitor.</param>
    /// <param name="state">Its state.</param>
    /// <returns>The object.</returns>
    public static JsonObject ToJson(string visitorId, SupportState state)
    {
        // SupportState.ToString() is the wire shape of GET /support/state.
        var wire = JsonNode.Parse(state.ToString())!.AsObject();
        var json = new JsonObject { ["visitorId"] = visitorId };
        foreach (var (name, value) in wire.ToList())
        {
            wire.Remove(name);
            json[name] = value;
        }

        return json;
    }

    /// <summary>A comma-separated list, or "(none)".</summary>
    /// <param name="names">The names.</param>
    /// <returns>The text.</returns>
    public static string List(IEnumerable<string> names)
    {
        var text = string.Join(", ", names);
        return text.Length == 0 ? "(none)" : text;
    }
}
