using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// Reads and validates a <c>PATCH /support/feature-flags</c> body (protocol §5, trace 04) with the server's issues, in
/// schema order: <c>target.type</c>, <c>target.id</c>, <c>operation</c>, then <c>flags</c> element by element.
/// </summary>
internal static class FlagMutationBody
{
    private static readonly string[] TargetTypes = ["visitor", "contact", "contactOrganization"];
    private static readonly string[] Operations = ["add", "remove", "set"];

    public static string TypeName(FeatureFlagTargetType type) => type switch
    {
        FeatureFlagTargetType.Visitor => "visitor",
        FeatureFlagTargetType.Contact => "contact",
        _ => "contactOrganization",
    };

    /// <summary>The mutation, or null with the issues added to <paramref name="issues"/>.</summary>
    public static FlagMutation? Read(JsonElement body, List<ZodIssue> issues)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            issues.Add(ZodIssue.InvalidType("object", body));
            return null;
        }

        var target = JsonFields.Get(body, "target");
        var type = -1;
        string? id = null;
        if (target is not { ValueKind: JsonValueKind.Object } targetObject)
        {
            issues.Add(ZodIssue.InvalidType("object", target, "target"));
        }
        else
        {
            type = OptionIndex(targetObject, "type", TargetTypes, issues, "target");
            id = ReadId(targetObject, issues);
        }

        var operation = OptionIndex(body, "operation", Operations, issues);
        var flags = ReadFlags(body, issues);
        if (issues.Count > 0)
        {
            return null;
        }

        var targetType = type switch
        {
            0 => FeatureFlagTargetType.Visitor,
            1 => FeatureFlagTargetType.Contact,
            _ => FeatureFlagTargetType.ContactOrganization,
        };
        var flagOperation = operation switch
        {
            0 => FlagOperation.Add,
            1 => FlagOperation.Remove,
            _ => FlagOperation.Set,
        };
        return new FlagMutation(targetType, id!, flagOperation, flags!);
    }

    private static int OptionIndex(JsonElement owner, string name, string[] options, List<ZodIssue> issues, params string[] parent)
    {
        var value = JsonFields.Get(owner, name);
        var index = value is { ValueKind: JsonValueKind.String } text ? Array.IndexOf(options, text.GetString()) : -1;
        if (index < 0)
        {
            issues.Add(ZodIssue.InvalidOption(options, [.. parent, name]));
        }

        return index;
    }

    private static string? ReadId(JsonElement target, List<ZodIssue> issues)
    {
        var id = JsonFields.Get(target, "id");
        if (id is not { ValueKind: JsonValueKind.String } text)
        {
            issues.Add(ZodIssue.InvalidType("string", id, "target", "id"));
            return null;
        }

        var value = text.GetString()!;
        if (value.Length == 0)
        {
            issues.Add(ZodIssue.TooShort("target", "id"));
        }

        return value;
    }

    private static List<string>? ReadFlags(JsonElement body, List<ZodIssue> issues)
    {
        var flags = JsonFields.Get(body, "flags");
        if (flags is not { ValueKind: JsonValueKind.Array } array)
        {
            issues.Add(ZodIssue.InvalidType("array", flags, "flags"));
            return null;
        }

        var names = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                issues.Add(ZodIssue.InvalidType("string", item, "flags", index));
            }
            else if (FlagNames.Problem(item.GetString()!) is { } problem)
            {
                issues.Add(ZodIssue.Custom(problem, "flags", index));
            }
            else
            {
                names.Add(item.GetString()!);
            }

            index++;
        }

        return names;
    }
}
