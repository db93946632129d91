using System.Collections.Immutable;
using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>The emulator's rows. Mutated only under <see cref="EmulatorData"/>'s lock.</summary>
internal sealed class WebsiteRecord
{
    public required string Id { get; init; }

    public required string OrganizationId { get; init; }

    public required string Name { get; init; }

    public required string Domain { get; init; }

    public required string PublicKey { get; init; }

    public required string PrivateKey { get; init; }

    public required ImmutableArray<string> AllowedDomains { get; init; }
}

internal sealed class VisitorRecord
{
    public required string Id { get; init; }

    public required string WebsiteId { get; init; }

    public bool IsBlocked { get; set; }

    /// <summary>The visitor's own flags (stored form, normalized).</summary>
    public ImmutableArray<string> Flags { get; set; } = [];

    /// <summary>The visitor's onboarding; <see langword="null"/> while it has none (a NULL column).</summary>
    public StoredOnboarding? Onboarding { get; set; }

    public string? ContactId { get; set; }
}

internal sealed class ContactRecord
{
    public required string Id { get; init; }

    public required string WebsiteId { get; init; }

    public string? ExternalId { get; set; }

    public string? Email { get; set; }

    public string? Name { get; set; }

    public string? Image { get; set; }

    public JsonElement? Metadata { get; set; }

    public string? ContactOrganizationId { get; set; }

    public ImmutableArray<string> Flags { get; set; } = [];

    public StoredOnboarding? Onboarding { get; set; }
}

internal sealed class OrganizationRecord
{
    public required string Id { get; init; }

    public required string WebsiteId { get; init; }

    public required string Name { get; init; }

    public ImmutableArray<string> Flags { get; set; } = [];
}
