using System.Collections.Immutable;

namespace Cossistant.Client.Testing;

/// <summary>A website seeded in the emulator, with its keys.</summary>
/// <param name="Id">The website id.</param>
/// <param name="OrganizationId">The owning organization's id.</param>
/// <param name="Name">The name.</param>
/// <param name="Domain">The main domain.</param>
/// <param name="PublicKey">The public key (<c>pk_test_</c> + 64 hex).</param>
/// <param name="PrivateApiKey">The private key (<c>sk_test_</c> + 64 hex).</param>
/// <param name="AllowedDomains">The Origin allowlist: an entry matches itself and every subdomain.</param>
public sealed record EmulatedWebsite(
    string Id, string OrganizationId, string Name, string Domain, string PublicKey, string PrivateApiKey, ImmutableArray<string> AllowedDomains);
