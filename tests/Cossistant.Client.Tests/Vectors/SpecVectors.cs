using System.Text.Json;

namespace Cossistant.Client.Tests.Vectors;

/// <summary>
/// The shared reference vectors (<c>shared/spec/vectors.json</c>). The team's copy next to the repository wins
/// when it exists; otherwise the copy checked in beside this file (kept equal by <see cref="SpecVectorsTests"/>).
/// </summary>
internal static class SpecVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(Path)));

    public static JsonElement Root => Document.Value.RootElement;

    public static string Path => SharedPath ?? BundledPath;

    public static string BundledPath => System.IO.Path.Combine(AppContext.BaseDirectory, "Vectors", "vectors.json");

    /// <summary>The shared spec copy beside the repository root, when there is one.</summary>
    public static string? SharedPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Cossistant.Client.sln")))
                {
                    var candidate = System.IO.Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared", "spec", "vectors.json");
                    return File.Exists(candidate) ? candidate : null;
                }
            }

            return null;
        }
    }

    public static IEnumerable<JsonElement> Cases(string section) => Root.GetProperty(section).EnumerateArray();

    /// <summary>xunit theory data: one row per case of a section, labelled by its index.</summary>
    public static TheoryData<int> Indexes(string section)
    {
        var data = new TheoryData<int>();
        var count = Root.GetProperty(section).GetArrayLength();
        for (var i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    public static JsonElement Case(string section, int index) => Root.GetProperty(section)[index];

    public static string?[] Strings(JsonElement array) =>
        [.. array.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Null ? null : item.GetString())];
}
