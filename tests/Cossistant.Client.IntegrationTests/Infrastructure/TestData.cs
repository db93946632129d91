using System.Security.Cryptography;

namespace Cossistant.Client.IntegrationTests.Infrastructure;

/// <summary>Ids, keys and bodies shaped like the real API's (see shared/spec/traces).</summary>
public static class TestData
{
    public const string Origin = "http://localhost:3000";

    public const string WebsiteId = "01M89BBY28DNGS7RTEYF8WAPAT";

    public const string OrganizationId = "01M89BBY28ETVB4CZKJQJ1GTPS";

    /// <summary>The visitor id of trace 03.</summary>
    public const string TraceVisitorId = "01M89BS72ZMXQ64JP8K5N8PPSF";

    public const string EmptyStateBody = """{"featureFlags":[],"onboarding":{"steps":{}}}""";

    /// <summary>The ZodError 400 of trace 03 (body <c>{"stepId":"x"}</c>).</summary>
    public const string ZodErrorBody =
        """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"code\": \"custom\",\n    \"path\": [],\n    \"message\": \"Provide reset: true or a stepId with completed and/or metadata.\"\n  }\n]"}}""";

    /// <summary>The issues JSON text inside <see cref="ZodErrorBody"/>.</summary>
    public const string ZodIssues =
        "[\n  {\n    \"code\": \"custom\",\n    \"path\": [],\n    \"message\": \"Provide reset: true or a stepId with completed and/or metadata.\"\n  }\n]";

    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A fresh <c>pk_test_</c> key: 64 lowercase hex characters.</summary>
    public static string NewPublicKey() => "pk_test_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    /// <summary>A fresh <c>sk_test_</c> key: 64 lowercase hex characters.</summary>
    public static string NewPrivateKey() => "sk_test_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    /// <summary>A fresh visitor id: a 26-character upper-case ULID.</summary>
    public static string NewVisitorId()
    {
        Span<char> id = stackalloc char[26];
        id[0] = '0';
        id[1] = '1';
        for (var i = 2; i < id.Length; i++)
        {
            id[i] = Crockford[RandomNumberGenerator.GetInt32(Crockford.Length)];
        }

        return new string(id);
    }

    /// <summary>The <c>GET /v1/websites</c> 200 body of trace 03, with the given visitor.</summary>
    public static string WebsiteBody(string visitorId, bool isBlocked = false) =>
        "{\"id\":\"" + WebsiteId + "\",\"name\":\"Trace Site\",\"domain\":\"example.test\",\"description\":null,\"logoUrl\":null,"
        + "\"organizationId\":\"" + OrganizationId + "\",\"defaultLanguage\":\"en\",\"status\":\"active\","
        + "\"lastOnlineAt\":\"2026-11-25T12:41:13.874Z\",\"availableHumanAgents\":[{\"id\":\"01M89BBY28FS88P6QDYGP133W9\","
        + "\"name\":\"Trace Owner\",\"email\":\"owner@example.test\",\"image\":null,\"lastSeenAt\":\"2026-11-25T12:41:13.874Z\"}],"
        + "\"availableAIAgents\":[],\"visitor\":{\"id\":\"" + visitorId + "\",\"isBlocked\":" + (isBlocked ? "true" : "false")
        + ",\"language\":null,\"contact\":null}}";
}
