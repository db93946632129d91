using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// Reads and validates a <c>PATCH /support/onboarding</c> body (protocol §4, trace 03) with the server's issues: the
/// fields in schema order (<c>stepId</c> a non-empty string, <c>completed</c> a boolean, <c>metadata</c> an object or
/// null, <c>reset</c> a boolean; unknown keys ignored), then, unless a type was wrong, the rule "reset is true, or a
/// non-empty stepId with completed and/or metadata present".
/// </summary>
internal static class OnboardingBody
{
    public const string RuleMessage = "Provide reset: true or a stepId with completed and/or metadata.";

    /// <summary>The patch, or null with the issues added to <paramref name="issues"/>.</summary>
    public static OnboardingPatch? Read(JsonElement body, List<ZodIssue> issues)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            issues.Add(ZodIssue.InvalidType("object", body));
            return null;
        }

        string? stepId = null;
        if (JsonFields.Get(body, "stepId") is { } id)
        {
            stepId = id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (stepId is null)
            {
                issues.Add(ZodIssue.InvalidType("string", id, "stepId"));
            }
            else if (stepId.Length == 0)
            {
                issues.Add(ZodIssue.TooShort("stepId"));
            }
        }

        var completed = ReadBoolean(body, "completed", issues);
        var metadataValue = JsonFields.Get(body, "metadata");
        JsonElement? metadata = null;
        if (metadataValue is { ValueKind: JsonValueKind.Object } value)
        {
            metadata = JsonbOrder.Canonicalize(value);
        }
        else if (metadataValue is { ValueKind: not JsonValueKind.Null } wrong)
        {
            issues.Add(ZodIssue.InvalidType("record", wrong, "metadata"));
        }

        var reset = ReadBoolean(body, "reset", issues);
        if (issues.Any(issue => issue.Aborts))
        {
            return null;
        }

        var hasMetadata = metadataValue is not null;
        if (reset != true && (string.IsNullOrEmpty(stepId) || (completed is null && !hasMetadata)))
        {
            issues.Add(ZodIssue.Custom(RuleMessage));
        }

        return issues.Count > 0 ? null : new OnboardingPatch(reset == true, stepId, completed, hasMetadata, metadata);
    }

    private static bool? ReadBoolean(JsonElement body, string name, List<ZodIssue> issues)
    {
        switch (JsonFields.Get(body, name))
        {
            case null:
                return null;
            case { ValueKind: JsonValueKind.True }:
                return true;
            case { ValueKind: JsonValueKind.False }:
                return false;
            case { } wrong:
                issues.Add(ZodIssue.InvalidType("boolean", wrong, name));
                return null;
        }
    }
}
