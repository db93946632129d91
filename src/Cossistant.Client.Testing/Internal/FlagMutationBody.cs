using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>Reads and validates a <c>PATCH /support/feature-flags</c> body with the server's messages.</summary>
internal static class FlagMutationBody
{
    public static string TypeName(FeatureFlagTargetType type) => type switch
    {
        FeatureFlagTargetType.Visitor => "visitor",
        FeatureFlagTargetType.Contact => "contact",
        _ => "contactOrganization",
    };

    /// <summary>Returns the first problem (message and path), or null with the parsed parts.</summary>
    public static (string Message, string[] Path)? Read(
        JsonElement body, out FeatureFlagTarget? target, out FeatureFlagOperation operation, out IReadOnlyList<string>? flags)
    {
        target = null;
        operation = default;
        flags = null;
        if (!body.TryGetProperty("target", out var t) || t.ValueKind != JsonValueKind.Object)
        {
            return ("Invalid input: expected object, received undefined", ["target"]);
        }

        FeatureFlagTargetType? type = t.TryGetProperty("type", out var ty) && ty.ValueKind == JsonValueKind.String
            ? ty.GetString() switch
            {
                "visitor" => FeatureFlagTargetType.Visitor,
                "contact" => FeatureFlagTargetType.Contact,
                "contactOrganization" => FeatureFlagTargetType.ContactOrganization,
                _ => null,
            }
            : null;
        if (type is null)
        {
            return ("Invalid option: expected one of \"visitor\"|\"contact\"|\"contactOrganization\"", ["target", "type"]);
        }

        if (!t.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString()!.Length == 0)
        {
            return ("Too small: expected string to have >=1 characters", ["target", "id"]);
        }

        FeatureFlagOperation? op = body.TryGetProperty("operation", out var o) && o.ValueKind == JsonValueKind.String
            ? o.GetString() switch
            {
                "add" => FeatureFlagOperation.Add,
                "remove" => FeatureFlagOperation.Remove,
                "set" => FeatureFlagOperation.Set,
                _ => null,
            }
            : null;
        if (op is null)
        {
            return ("Invalid option: expected one of \"add\"|\"remove\"|\"set\"", ["operation"]);
        }

        if (!body.TryGetProperty("flags", out var f) || f.ValueKind != JsonValueKind.Array)
        {
            return ("Invalid input: expected array, received undefined", ["flags"]);
        }

        var list = new List<string>();
        var index = 0;
        foreach (var item in f.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return ("Invalid input: expected string", ["flags", index.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            var name = item.GetString()!;
            if (!SupportFeatureFlags.TryValidateMutationFlags([name], out var error))
            {
                return (error, ["flags", index.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            list.Add(name);
            index++;
        }

        target = new FeatureFlagTarget(type.Value, id.GetString()!);
        operation = op.Value;
        flags = list;
        return null;
    }
}
