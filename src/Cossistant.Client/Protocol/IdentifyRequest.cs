using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cossistant.Client;

/// <summary>
/// Links the visitor to a contact (<c>POST /contacts/identify</c>). At least one of <see cref="ExternalId"/>
/// and <see cref="Email"/> must have content.
/// </summary>
public sealed record IdentifyRequest
{
    /// <summary>The visitor to link; when set it must equal the client's visitor id.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? VisitorId { get; init; }

    /// <summary>The contact's id in the app's own user store.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExternalId { get; init; }

    /// <summary>The contact's email.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Email { get; init; }

    /// <summary>The contact's name.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>The contact's image URL.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Image { get; init; }

    /// <summary>Free-form contact metadata (a JSON object).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Metadata { get; init; }

    /// <summary>The contact organization to put the contact in.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ContactOrganizationId { get; init; }

    /// <summary>Checks a request for a visitor before any network call.</summary>
    internal static void Check(IdentifyRequest request, string visitorId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.ExternalId) && string.IsNullOrWhiteSpace(request.Email))
        {
            throw new ArgumentException("Identifying a visitor needs an ExternalId or an Email.", nameof(request));
        }

        if (request.VisitorId is not null && !string.Equals(request.VisitorId, visitorId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"request.VisitorId differs from the visitor being identified ({visitorId}); leave it unset.", nameof(request));
        }
    }
}
