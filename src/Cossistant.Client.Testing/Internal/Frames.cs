using System.Text;
using System.Text.Json;
using Cossistant.Client.Protocol;

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
        WriteNullable(writer, "visitorId", visitorId);
        writer.WriteString("organizationId", website.OrganizationId);
        writer.WriteString("websiteId", website.Id);
        writer.WriteNumber("timestamp", timestamp);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public static string SupportStateUpdated(WebsiteRecord website, string visitorId, SupportState state) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "supportStateUpdated");
        writer.WriteStartObject("payload");
        WriteRouting(writer, website, visitorId);
        writer.WritePropertyName("state");
        JsonSerializer.Serialize(writer, state, CossistantJsonContext.Default.SupportState);
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
        WriteNullable(writer, "externalId", contact.ExternalId);
        WriteNullable(writer, "name", contact.Name);
        WriteNullable(writer, "email", contact.Email);
        WriteNullable(writer, "image", contact.Image);
        writer.WritePropertyName("metadata");
        if (contact.Metadata is { } metadata)
        {
            metadata.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        WriteNullable(writer, "contactOrganizationId", contact.ContactOrganizationId);
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

    public static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
