using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>The server's realtime frames and the contact JSON, written as upstream writes them.</summary>
internal static class Frames
{
    public static string Hello(WebsiteRecord website, string connectionId, string? visitorId, long timestamp) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "CONNECTION_ESTABLISHED");
        writer.WriteStartObject("payload");
        writer.WriteString("connectionId", connectionId);
        WireJson.WriteNullable(writer, "visitorId", visitorId);
        writer.WriteString("organizationId", website.OrganizationId);
        writer.WriteString("websiteId", website.Id);
        writer.WriteNumber("timestamp", timestamp);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public static string SupportStateUpdated(WebsiteRecord website, string visitorId, ResolvedState state) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "supportStateUpdated");
        writer.WriteStartObject("payload");
        WriteRouting(writer, website, visitorId);
        writer.WritePropertyName("state");
        WireJson.WriteState(writer, state);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public static string VisitorIdentified(WebsiteRecord website, string visitorId, ContactRecord contact) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "visitorIdentified");
        writer.WriteStartObject("payload");
        WriteRouting(writer, website, visitorId);
        writer.WriteStartObject("visitor");
        writer.WriteString("id", visitorId);
        writer.WriteString("contactId", contact.Id);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public static string Error(string error, string? message, int? code, string? details = null) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("error", error);
        if (message is not null)
        {
            writer.WriteString("message", message);
        }

        if (details is not null)
        {
            writer.WriteString("details", details);
        }

        if (code is { } value)
        {
            writer.WriteNumber("code", value);
        }

        writer.WriteEndObject();
    });

    public static void WriteContact(Utf8JsonWriter writer, WebsiteRecord website, ContactRecord contact)
    {
        writer.WriteStartObject();
        writer.WriteString("id", contact.Id);
        WireJson.WriteNullable(writer, "externalId", contact.ExternalId);
        WireJson.WriteNullable(writer, "name", contact.Name);
        WireJson.WriteNullable(writer, "email", contact.Email);
        WireJson.WriteNullable(writer, "image", contact.Image);
        WireJson.WriteNullable(writer, "metadata", contact.Metadata);
        WireJson.WriteNullable(writer, "contactOrganizationId", contact.ContactOrganizationId);
        writer.WriteString("websiteId", website.Id);
        writer.WriteString("organizationId", website.OrganizationId);
        writer.WriteNull("userId");
        writer.WriteEndObject();
    }

    private static void WriteRouting(Utf8JsonWriter writer, WebsiteRecord website, string visitorId)
    {
        writer.WriteString("websiteId", website.Id);
        writer.WriteString("organizationId", website.OrganizationId);
        writer.WriteString("visitorId", visitorId);
        writer.WriteNull("userId");
    }

    private static string Write(Action<Utf8JsonWriter> write) => WireJson.WriteText(write);
}
