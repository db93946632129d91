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

    /// <summary>
    /// Seeds one visitor under the lock: the named one (created with that id when unknown) or a new one; sets its own
    /// flags and its onboarding (the contact's once linked, as an update would) when given. Returns the visitor and
    /// whether it existed before. Checks everything before changing anything.
    /// </summary>
    public (VisitorRecord Visitor, bool Existed) Seed(
        WebsiteRecord? website, WebsiteRecord fallback, string? visitorId, ImmutableArray<string>? flags, StoredOnboarding? onboarding)
    {
        lock (_gate)
        {
            var existed = visitorId is not null && _visitors.ContainsKey(visitorId);
            if (existed && website is not null && _visitors[visitorId!].WebsiteId != website.Id)
            {
                throw new ArgumentException(
                    $"Visitor \"{visitorId}\" belongs to website \"{_visitors[visitorId!].WebsiteId}\", not \"{website.Id}\": a visitor never moves.",
                    nameof(visitorId));
            }

            if (!existed && visitorId is not null && !Ids.IsUlid(visitorId))
            {
                throw new ArgumentException(
                    $"The emulator has no visitor \"{visitorId}\", and it is not a ULID (26 upper-case Crockford base32 characters) to create one with.",
                    nameof(visitorId));
            }

            var visitor = UpsertVisitor(website ?? fallback, visitorId);
            if (flags is { } own)
            {
                visitor.Flags = own;
            }

            if (onboarding is not null)
            {
                if (visitor.ContactId is { } contactId && _contacts.TryGetValue(contactId, out var contact))
                {
                    contact.Onboarding = onboarding;
                }
                else
                {
                    visitor.Onboarding = onboarding;
                }
            }

            return (visitor, existed);
        }
    }
}
