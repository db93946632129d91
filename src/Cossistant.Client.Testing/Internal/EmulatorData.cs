using System.Collections.Immutable;
using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// The emulator's data and the upstream rules over it: flags as the union of visitor, contact and contact
/// organization; onboarding on the contact once linked; the copy-on-identify rule; who hears about a change.
/// </summary>
internal sealed partial class EmulatorData(TimeProvider time)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, WebsiteRecord> _websites = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VisitorRecord> _visitors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContactRecord> _contacts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OrganizationRecord> _organizations = new(StringComparer.Ordinal);

    public string NewId() => Ids.NewUlid(time.GetUtcNow());

    /// <summary>
    /// Creates the visitor, or returns it unchanged when it exists, even in another website: like upstream, a
    /// visitor is never moved or re-created under the calling website.
    /// </summary>
    public VisitorRecord UpsertVisitor(WebsiteRecord website, string? id)
    {
        lock (_gate)
        {
            if (id is not null && _visitors.TryGetValue(id, out var existing))
            {
                return existing;
            }

            var visitor = new VisitorRecord { Id = id ?? NewId(), WebsiteId = website.Id };
            _visitors[visitor.Id] = visitor;
            return visitor;
        }
    }

    /// <summary>The contact a visitor is linked to, or null while anonymous.</summary>
    public ContactRecord? ContactOf(VisitorRecord visitor)
    {
        lock (_gate)
        {
            return visitor.ContactId is { } id && _contacts.TryGetValue(id, out var contact) ? contact : null;
        }
    }

    public VisitorRecord? FindVisitor(WebsiteRecord website, string? id)
    {
        lock (_gate)
        {
            return id is not null && _visitors.TryGetValue(id, out var visitor) && visitor.WebsiteId == website.Id ? visitor : null;
        }
    }

    /// <summary>The website a visitor belongs to, or null for an unknown visitor.</summary>
    public string? WebsiteOf(string visitorId)
    {
        lock (_gate)
        {
            return _visitors.TryGetValue(visitorId, out var visitor) ? visitor.WebsiteId : null;
        }
    }

    public VisitorRecord RequireVisitor(string id)
    {
        lock (_gate)
        {
            return _visitors.TryGetValue(id, out var visitor)
                ? visitor
                : throw new ArgumentException($"The emulator has no visitor \"{id}\".", nameof(id));
        }
    }

    /// <summary>What <c>GET /support/state</c> answers for a visitor.</summary>
    public ResolvedState Resolve(VisitorRecord visitor)
    {
        lock (_gate)
        {
            return ResolveLocked(visitor);
        }
    }

    /// <summary>Applies an onboarding update (to the contact once linked) and returns the visitor's new state.</summary>
    public ResolvedState UpdateOnboarding(VisitorRecord visitor, OnboardingPatch patch)
    {
        lock (_gate)
        {
            var contact = visitor.ContactId is { } id ? _contacts[id] : null;
            var current = contact?.Onboarding ?? visitor.Onboarding ?? StoredOnboarding.Empty;
            var next = current.Apply(patch);
            if (contact is not null)
            {
                contact.Onboarding = next;
            }
            else
            {
                visitor.Onboarding = next;
            }

            return ResolveLocked(visitor);
        }
    }

    /// <summary>
    /// Applies a flag mutation to the target's own list and names the visitors who must hear about it; null when
    /// the target does not exist. Their states are resolved when the events are sent, so an event never carries
    /// a state older than a write that was answered before it went out.
    /// </summary>
    public (ImmutableArray<string> OwnFlags, IReadOnlyList<string> AffectedVisitors)? MutateFlags(WebsiteRecord website, FlagMutation mutation)
    {
        lock (_gate)
        {
            var (type, id, operation, flags) = mutation;
            ImmutableArray<string> own;
            switch (type)
            {
                case FeatureFlagTargetType.Visitor when FindVisitor(website, id) is { } visitor:
                    own = visitor.Flags = FlagNames.Apply(visitor.Flags, operation, flags);
                    break;
                case FeatureFlagTargetType.Contact when _contacts.TryGetValue(id, out var contact) && contact.WebsiteId == website.Id:
                    own = contact.Flags = FlagNames.Apply(contact.Flags, operation, flags);
                    break;
                case FeatureFlagTargetType.ContactOrganization
                    when _organizations.TryGetValue(id, out var organization) && organization.WebsiteId == website.Id:
                    own = organization.Flags = FlagNames.Apply(organization.Flags, operation, flags);
                    break;
                default:
                    return null;
            }

            return (own, AffectedVisitorsLocked(type, id));
        }
    }

    public ImmutableArray<string>? OwnFlags(FeatureFlagTarget target)
    {
        lock (_gate)
        {
            return target.Type switch
            {
                FeatureFlagTargetType.Visitor => _visitors.TryGetValue(target.Id, out var v) ? v.Flags : null,
                FeatureFlagTargetType.Contact => _contacts.TryGetValue(target.Id, out var c) ? c.Flags : null,
                _ => _organizations.TryGetValue(target.Id, out var o) ? o.Flags : null,
            };
        }
    }

    /// <summary>Stored onboarding of a visitor or contact (not resolved); null while it has none.</summary>
    public StoredOnboarding? StoredOnboardingOf(FeatureFlagTargetType type, string id)
    {
        lock (_gate)
        {
            return type switch
            {
                FeatureFlagTargetType.Visitor => RequireVisitor(id).Onboarding,
                FeatureFlagTargetType.Contact => RequireContactLocked(id).Onboarding,
                _ => throw new ArgumentException("Only visitors and contacts store onboarding.", nameof(type)),
            };
        }
    }

    /// <summary>Links a visitor to a contact found (or created) by external id or email, with the copy rule.</summary>
    public ContactRecord Identify(
        WebsiteRecord website, VisitorRecord visitor, string? externalId, string? email, string? name, string? image,
        JsonElement? metadata, string? organizationId)
    {
        lock (_gate)
        {
            var contact = _contacts.Values.FirstOrDefault(c => c.WebsiteId == website.Id
                    && ((externalId is not null && c.ExternalId == externalId) || (externalId is null && email is not null && c.Email == email)))
                ?? AddContact(website, externalId, email, null, null);
            contact.Email = email ?? contact.Email;
            contact.Name = name ?? contact.Name;
            contact.Image = image ?? contact.Image;
            contact.Metadata = metadata ?? contact.Metadata;
            if (organizationId is not null)
            {
                RequireOrganizationLocked(website, organizationId);
                contact.ContactOrganizationId = organizationId;
            }

            LinkLocked(visitor, contact);
            return contact;
        }
    }

    /// <summary>Links a visitor to a contact (seeding), with the copy rule.</summary>
    public void Link(string visitorId, string contactId)
    {
        lock (_gate)
        {
            LinkLocked(RequireVisitor(visitorId), RequireContactLocked(contactId));
        }
    }

    public ResolvedState ResolveById(string visitorId)
    {
        lock (_gate)
        {
            return ResolveLocked(RequireVisitor(visitorId));
        }
    }

    private static void LinkLocked(VisitorRecord visitor, ContactRecord contact)
    {
        visitor.ContactId = contact.Id;

        // The visitor's progress is copied only when it has some and the contact has none; else the contact's wins.
        if (visitor.Onboarding is not null && contact.Onboarding is null)
        {
            contact.Onboarding = visitor.Onboarding;
        }
    }

    private ResolvedState ResolveLocked(VisitorRecord visitor)
    {
        var contact = visitor.ContactId is { } id && _contacts.TryGetValue(id, out var c) ? c : null;
        var organization = contact?.ContactOrganizationId is { } orgId && _organizations.TryGetValue(orgId, out var o) ? o : null;
        IEnumerable<string> flags = visitor.Flags;
        if (contact is not null)
        {
            flags = flags.Concat(contact.Flags);
        }

        if (organization is not null)
        {
            flags = flags.Concat(organization.Flags);
        }

        return new ResolvedState(FlagNames.Normalize(flags), contact?.Onboarding ?? visitor.Onboarding ?? StoredOnboarding.Empty);
    }

    private List<string> AffectedVisitorsLocked(FeatureFlagTargetType type, string id) => type switch
    {
        FeatureFlagTargetType.Visitor => [id],
        FeatureFlagTargetType.Contact => _visitors.Values.Where(v => v.ContactId == id).Select(v => v.Id).ToList(),
        _ => _visitors.Values
            .Where(v => v.ContactId is { } c && _contacts.TryGetValue(c, out var contact) && contact.ContactOrganizationId == id)
            .Select(v => v.Id)
            .ToList(),
    };

    private ContactRecord RequireContactLocked(string id) =>
        _contacts.TryGetValue(id, out var contact) ? contact : throw new ArgumentException($"The emulator has no contact \"{id}\".", nameof(id));

    private OrganizationRecord RequireOrganizationLocked(WebsiteRecord website, string id) =>
        _organizations.TryGetValue(id, out var organization) && organization.WebsiteId == website.Id
            ? organization
            : throw new ArgumentException($"The website has no contact organization \"{id}\".", nameof(id));
}
