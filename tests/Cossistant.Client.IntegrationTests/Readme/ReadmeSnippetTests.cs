using System.Text.RegularExpressions;

namespace Cossistant.Client.IntegrationTests.Readme;

public sealed partial class ReadmeSnippetTests
{
    [Fact]
    public void Readme_EveryCSharpBlock_IsCompiledCode()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var compiled = Normalize(string.Join('\n', Directory
            .EnumerateFiles(Path.Combine(root, "samples"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "tests", "Cossistant.Client.IntegrationTests", "Readme"), "Readme*Snippets.cs"))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)));

        var blocks = CSharpBlock().Matches(readme).Select(match => match.Groups[1].Value).ToList();
        Assert.NotEmpty(blocks);
        var missing = blocks.Where(block => !compiled.Contains(Normalize(block), StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "README blocks not found in compiled code:\n" + string.Join("\n---\n", missing));
    }

    private static string Normalize(string code) =>
        string.Join('\n', code.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cossistant.Client.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cossistant.Client.sln not found above the test assembly.");
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
