using System.Collections.Immutable;

namespace Cossistant.Client.Testing.Internal;

/// <summary>Seeding: websites, contacts, organizations, links and blocks.</summary>
internal sealed partial class EmulatorData
{
    public WebsiteRecord AddWebsite(string name, string domain, IEnumerable<string> allowedDomains)
    {
        var website = new WebsiteRecord
        {
            Id = NewId(),
            OrganizationId = NewId(),
            Name = name,
            Domain = domain,
            PublicKey = Ids.NewPublicKey(),
            PrivateKey = Ids.NewPrivateKey(),
            AllowedDomains = [.. allowedDomains],
        };
        lock (_gate)
        {
            _websites[website.Id] = website;
        }

        return website;
    }

    public WebsiteRecord? FindWebsiteByPublicKey(string key)
    {
        lock (_gate)
        {
            return _websites.Values.FirstOrDefault(site => string.Equals(site.PublicKey, key, StringComparison.Ordinal));
        }
    }

    public WebsiteRecord? FindWebsiteByPrivateKey(string key)
    {
        lock (_gate)
        {
            return _websites.Values.FirstOrDefault(site => string.Equals(site.PrivateKey, key, StringComparison.Ordinal));
        }
    }

    public WebsiteRecord RequireWebsite(string id)
    {
        lock (_gate)
        {
            return _websites.TryGetValue(id, out var website)
                ? website
                : throw new ArgumentException($"The emulator has no website \"{id}\".", nameof(id));
        }
    }

    public ContactRecord AddContact(WebsiteRecord website, string? externalId, string? email, string? name, string? organizationId)
    {
        lock (_gate)
        {
            if (organizationId is not null)
            {
                RequireOrganizationLocked(website, organizationId);
            }

            var contact = new ContactRecord
            {
                Id = NewId(), WebsiteId = website.Id, ExternalId = externalId, Email = email, Name = name,
                ContactOrganizationId = organizationId,
            };
            _contacts[contact.Id] = contact;
            return contact;
        }
    }

    public OrganizationRecord AddOrganization(WebsiteRecord website, string name)
    {
        var organization = new OrganizationRecord { Id = NewId(), WebsiteId = website.Id, Name = name };
        lock (_gate)
        {
            _organizations[organization.Id] = organization;
        }

        return organization;
    }

    /// <summary>Moves a contact into an organization. Like upstream, no visitor hears about it.</summary>
    public void SetContactOrganization(string contactId, string? organizationId)
    {
        lock (_gate)
        {
            var contact = RequireContactLocked(contactId);
            if (organizationId is not null)
            {
                RequireOrganizationLocked(_websites[contact.WebsiteId], organizationId);
            }

            contact.ContactOrganizationId = organizationId;
        }
    }

    public void SetBlocked(string visitorId, bool blocked)
    {
        lock (_gate)
        {
            RequireVisitor(visitorId).IsBlocked = blocked;
        }
    }
}
