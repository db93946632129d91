using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cossistant.Client.Tool.Seeding;

/// <summary>
/// The <c>--seed FILE</c> format of <c>cossistant emulator</c> (documented in the README): organizations, contacts and
/// visitors of the default website at the top level, and more websites under <c>websites</c>.
/// </summary>
internal sealed class SeedFile : SeedContent
{
    /// <summary>More websites, each with fresh keys and its own organizations, contacts and visitors.</summary>
    public List<SeedWebsite> Websites { get; set; } = [];

    /// <summary>Reads and parses a seed file; unknown fields are errors (a typo should not be silently ignored).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The seed.</returns>
    /// <exception cref="ToolInputException">The file is missing or not a valid seed.</exception>
    public static SeedFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ToolInputException($"seed file \"{path}\": {exception.Message}", exception);
        }

        try
        {
            return JsonSerializer.Deserialize(text, SeedJsonContext.Default.SeedFile)
                ?? throw new ToolInputException($"seed file \"{path}\": expected a JSON object, found null.");
        }
        catch (JsonException exception)
        {
            throw new ToolInputException($"seed file \"{path}\": {exception.Message}", exception);
        }
    }
}

/// <summary>What a website is seeded with.</summary>
internal class SeedContent
{
    /// <summary>Contact organizations.</summary>
    public List<SeedOrganization> Organizations { get; set; } = [];

    /// <summary>Contacts.</summary>
    public List<SeedContact> Contacts { get; set; } = [];

    /// <summary>Visitors.</summary>
    public List<SeedVisitor> Visitors { get; set; } = [];
}

/// <summary>A website beyond the default one.</summary>
internal sealed class SeedWebsite : SeedContent
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The main domain.</summary>
    public required string Domain { get; init; }

    /// <summary>The Origin allowlist; default the domain and <c>localhost</c>.</summary>
    public List<string>? AllowedDomains { get; init; }
}

/// <summary>A contact organization.</summary>
internal sealed class SeedOrganization
{
    /// <summary>The name contacts use to refer to it in this file (and the key of its id in the output).</summary>
    public required string Ref { get; init; }

    /// <summary>The name; default <see cref="Ref"/>.</summary>
    public string? Name { get; init; }

    /// <summary>The organization's own flags.</summary>
    public List<string> FeatureFlags { get; set; } = [];
}

/// <summary>A contact (an identified user).</summary>
internal sealed class SeedContact
{
    /// <summary>The name visitors use to refer to it in this file (and the key of its id in the output).</summary>
    public required string Ref { get; init; }

    /// <summary>The app's own user id.</summary>
    public string? ExternalId { get; init; }

    /// <summary>The email.</summary>
    public string? Email { get; init; }

    /// <summary>The <see cref="SeedOrganization.Ref"/> of its organization, if any.</summary>
    public string? Organization { get; init; }

    /// <summary>The contact's own flags.</summary>
    public List<string> FeatureFlags { get; set; } = [];

    /// <summary>The contact's onboarding (what its visitors see once identified).</summary>
    public SeedOnboarding? Onboarding { get; init; }
}

/// <summary>A visitor.</summary>
internal sealed class SeedVisitor
{
    /// <summary>The key of its id in the output; default <see cref="Id"/>.</summary>
    public string? Ref { get; init; }

    /// <summary>A fixed id (a ULID), so scripts and front ends can name it; default a new one.</summary>
    public string? Id { get; init; }

    /// <summary>The <see cref="SeedContact.Ref"/> of the contact it is linked to (identified as), if any.</summary>
    public string? Contact { get; init; }

    /// <summary>The visitor's own flags.</summary>
    public List<string> FeatureFlags { get; set; } = [];

    /// <summary>The visitor's own onboarding (copied to its contact on linking when the contact has none, as the API does).</summary>
    public SeedOnboarding? Onboarding { get; init; }
}

/// <summary>Onboarding progress, in the API's shape: <c>{"steps": {"id": {"completed", "metadata"}}}</c>.</summary>
internal sealed class SeedOnboarding
{
    /// <summary>The steps by id.</summary>
    public Dictionary<string, SeedStep> Steps { get; set; } = [];
}

/// <summary>One onboarding step.</summary>
internal sealed class SeedStep
{
    /// <summary>Whether completed; default false.</summary>
    public bool Completed { get; init; }

    /// <summary>The metadata: a JSON object, or null.</summary>
    public JsonElement? Metadata { get; init; }
}

/// <summary>Source-generated JSON for the seed file: camelCase, comments and trailing commas allowed, unknown fields refused.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SeedFile))]
internal sealed partial class SeedJsonContext : JsonSerializerContext;
