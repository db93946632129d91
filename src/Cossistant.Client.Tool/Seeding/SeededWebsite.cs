using Cossistant.Client.Testing;

namespace Cossistant.Client.Tool.Seeding;

/// <summary>A website of the running emulator and the ids the seed gave its organizations, contacts and visitors, by ref.</summary>
/// <param name="Website">The website and its keys.</param>
/// <param name="Origin">An Origin its allowlist accepts, for public-key clients.</param>
/// <param name="Organizations">Organization ids by ref, in file order.</param>
/// <param name="Contacts">Contact ids by ref, in file order.</param>
/// <param name="Visitors">Visitor ids by ref (or id), in file order.</param>
internal sealed record SeededWebsite(
    EmulatedWebsite Website,
    string? Origin,
    IReadOnlyList<KeyValuePair<string, string>> Organizations,
    IReadOnlyList<KeyValuePair<string, string>> Contacts,
    IReadOnlyList<KeyValuePair<string, string>> Visitors)
{
    /// <summary>An Origin a website's allowlist accepts: the emulator's default (<c>http://localhost:3000</c>) when <c>localhost</c> is on it, else <c>https://</c> its first entry.</summary>
    /// <param name="website">The website.</param>
    /// <returns>The Origin, or null for an empty allowlist.</returns>
    public static string? OriginFor(EmulatedWebsite website)
    {
        if (website.AllowedDomains.Contains("localhost", StringComparer.OrdinalIgnoreCase))
        {
            return CossistantEmulator.DefaultOrigin;
        }

        return website.AllowedDomains.FirstOrDefault() is { } domain
            ? "https://" + (domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain)
            : null;
    }
}
