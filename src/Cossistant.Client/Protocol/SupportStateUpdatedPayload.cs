namespace Cossistant.Client.Protocol;

/// <summary>The payload of a <c>supportStateUpdated</c> frame: the full state of one visitor.</summary>
internal sealed record SupportStateUpdatedPayload
{
    public string? WebsiteId { get; init; }

    public string? OrganizationId { get; init; }

    public string? VisitorId { get; init; }

    public string? UserId { get; init; }

    public SupportState? State { get; init; }
}
