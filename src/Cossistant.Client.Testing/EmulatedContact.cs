namespace Cossistant.Client.Testing;

/// <summary>A contact seeded in the emulator.</summary>
/// <param name="Id">The contact id.</param>
/// <param name="WebsiteId">The website.</param>
/// <param name="ExternalId">The app's own user id, if any.</param>
/// <param name="Email">The email, if any.</param>
/// <param name="ContactOrganizationId">The organization, if any.</param>
public sealed record EmulatedContact(string Id, string WebsiteId, string? ExternalId, string? Email, string? ContactOrganizationId);
