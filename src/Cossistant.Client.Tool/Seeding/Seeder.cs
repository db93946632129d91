using Cossistant.Client.Testing;

namespace Cossistant.Client.Tool.Seeding;

/// <summary>
/// Applies a <see cref="SeedFile"/> to a running emulator: websites, organizations and contacts with the emulator's
/// seeding methods; flags and onboarding through the API with the SDK (the emulator applies its own rules to them).
/// </summary>
internal static class Seeder
{
    /// <summary>Seeds the emulator.</summary>
    /// <param name="emulator">The running emulator.</param>
    /// <param name="seed">The seed, or null for none.</param>
    /// <param name="cancellationToken">Cancels seeding.</param>
    /// <returns>Every website (the default one first) with the ids the seed created.</returns>
    /// <exception cref="ToolInputException">The seed is inconsistent (an unknown ref, a bad flag name or id...).</exception>
    public static async Task<IReadOnlyList<SeededWebsite>> ApplyAsync(CossistantEmulator emulator, SeedFile? seed, CancellationToken cancellationToken)
    {
        seed ??= new SeedFile();
        var websites = new List<SeededWebsite> { await SeedAsync(emulator, emulator.DefaultWebsite, seed, "", cancellationToken).ConfigureAwait(false) };
        for (var i = 0; i < seed.Websites.Count; i++)
        {
            var site = seed.Websites[i];
            var where = $"websites[{i}]";
            EmulatedWebsite created;
            try
            {
                created = emulator.CreateWebsite(site.Name, site.Domain, site.AllowedDomains);
            }
            catch (ArgumentException exception)
            {
                throw ToolInputException.From($"seed {where}", exception);
            }

            websites.Add(await SeedAsync(emulator, created, site, where + ".", cancellationToken).ConfigureAwait(false));
        }

        return websites;
    }

    private static async Task<SeededWebsite> SeedAsync(
        CossistantEmulator emulator, EmulatedWebsite website, SeedContent seed, string where, CancellationToken cancellationToken)
    {
        var options = emulator.CreateClientOptions(website, privateKey: true);
        options.Retry.MaxRetryAttempts = 0;
        var factory = new CossistantSessionFactory(options);
        await using (factory.ConfigureAwait(false))
        {
            var writer = new SeedWriter(emulator, website, factory, cancellationToken);
            var organizations = Refs();
            for (var i = 0; i < seed.Organizations.Count; i++)
            {
                var organization = seed.Organizations[i];
                var at = $"seed {where}organizations[{i}] \"{organization.Ref}\"";
                var id = emulator.CreateContactOrganization(organization.Name ?? organization.Ref, website.Id).Id;
                Add(organizations, organization.Ref, id, at);
                await writer.SetFlagsAsync(FeatureFlagTarget.ContactOrganization(id), organization.FeatureFlags, at).ConfigureAwait(false);
            }

            var contacts = Refs();
            for (var i = 0; i < seed.Contacts.Count; i++)
            {
                var contact = seed.Contacts[i];
                var at = $"seed {where}contacts[{i}] \"{contact.Ref}\"";
                var organizationId = contact.Organization is null ? null : Find(organizations, contact.Organization, at, "organization");
                var id = emulator.CreateContact(contact.ExternalId, contact.Email, organizationId, website.Id).Id;
                Add(contacts, contact.Ref, id, at);
                await writer.SetFlagsAsync(FeatureFlagTarget.Contact(id), contact.FeatureFlags, at).ConfigureAwait(false);
            }

            var visitors = Refs();
            var links = new List<(string VisitorId, string ContactId)>();
            for (var i = 0; i < seed.Visitors.Count; i++)
            {
                var visitor = seed.Visitors[i];
                var at = $"seed {where}visitors[{i}] \"{visitor.Ref ?? visitor.Id}\"";
                var key = visitor.Ref ?? visitor.Id ?? throw new ToolInputException($"seed {where}visitors[{i}]: give a ref, an id or both.");
                var contactId = visitor.Contact is null ? null : Find(contacts, visitor.Contact, at, "contact");
                var id = await writer.CreateVisitorAsync(visitor.Id, at).ConfigureAwait(false);
                Add(visitors, key, id, at);
                await writer.SetFlagsAsync(FeatureFlagTarget.Visitor(id), visitor.FeatureFlags, at).ConfigureAwait(false);
                await writer.WriteOnboardingAsync(id, visitor.Onboarding, reset: false, at).ConfigureAwait(false);
                if (contactId is not null)
                {
                    links.Add((id, contactId));
                }
            }

            // Linked after the visitors' own onboarding is written, so the identify copy rule applies as in the API.
            foreach (var (visitorId, contactId) in links)
            {
                emulator.LinkVisitor(visitorId, contactId);
            }

            for (var i = 0; i < seed.Contacts.Count; i++)
            {
                var contact = seed.Contacts[i];
                if (contact.Onboarding is not null)
                {
                    var at = $"seed {where}contacts[{i}] \"{contact.Ref}\"";
                    var contactId = Find(contacts, contact.Ref, at, "contact");
                    var through = links.FirstOrDefault(link => link.ContactId == contactId).VisitorId;
                    if (through is null)
                    {
                        // Onboarding is written through a visitor of the contact: the API has no contact-level call.
                        through = emulator.CreateVisitor(website.Id);
                        emulator.LinkVisitor(through, contactId);
                    }

                    await writer.WriteOnboardingAsync(through, contact.Onboarding, reset: true, at).ConfigureAwait(false);
                }
            }

            return new SeededWebsite(website, SeededWebsite.OriginFor(website), organizations, contacts, visitors);
        }
    }

    private static List<KeyValuePair<string, string>> Refs() => [];

    private static void Add(List<KeyValuePair<string, string>> refs, string key, string id, string at)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ToolInputException($"{at}: ref must be a non-empty string.");
        }

        if (refs.Exists(pair => pair.Key == key))
        {
            throw new ToolInputException($"{at}: the ref \"{key}\" is used twice.");
        }

        refs.Add(new(key, id));
    }

    private static string Find(List<KeyValuePair<string, string>> refs, string key, string at, string what) =>
        refs.Find(pair => pair.Key == key).Value
        ?? throw new ToolInputException($"{at}: no {what} with ref \"{key}\" in this website.");
}
