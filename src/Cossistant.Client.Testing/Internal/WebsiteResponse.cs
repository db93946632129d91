using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>The <c>GET /websites</c> answer (protocol §2): the calling website and the visitor, with its contact.</summary>
internal static class WebsiteResponse
{
    public static void Write(Utf8JsonWriter writer, WebsiteRecord website, VisitorRecord visitor, ContactRecord? contact)
    {
        writer.WriteStartObject();
        writer.WriteString("id", website.Id);
        writer.WriteString("name", website.Name);
        writer.WriteString("domain", website.Domain);
        writer.WriteNull("description");
        writer.WriteNull("logoUrl");
        writer.WriteString("organizationId", website.OrganizationId);
        writer.WriteString("defaultLanguage", "en");
        writer.WriteString("status", "active");
        writer.WriteStartArray("availableHumanAgents");
        writer.WriteEndArray();
        writer.WriteStartArray("availableAIAgents");
        writer.WriteEndArray();
        writer.WriteStartObject("visitor");
        writer.WriteString("id", visitor.Id);
        writer.WriteBoolean("isBlocked", visitor.IsBlocked);
        writer.WriteNull("language");
        if (contact is null)
        {
            writer.WriteNull("contact");
        }
        else
        {
            writer.WriteStartObject("contact");
            writer.WriteString("id", contact.Id);
            WireJson.WriteNullable(writer, "name", contact.Name);
            WireJson.WriteNullable(writer, "email", contact.Email);
            WireJson.WriteNullable(writer, "image", contact.Image);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
