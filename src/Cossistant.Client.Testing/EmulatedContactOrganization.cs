namespace Cossistant.Client.Testing;

/// <summary>A contact organization seeded in the emulator.</summary>
/// <param name="Id">The organization id.</param>
/// <param name="WebsiteId">The website.</param>
/// <param name="Name">The name.</param>
public sealed record EmulatedContactOrganization(string Id, string WebsiteId, string Name);
