using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.Emulator.EmulatorTestKit;

namespace Cossistant.Client.IntegrationTests.Emulator;

/// <summary>
/// One HTTP exchange of a recorded trace of the real API (<c>shared/spec/traces</c>): the request as sent and the
/// answer as received. Placeholders: <c>{pk}</c>, <c>{sk}</c> (the website's keys) and <c>{visitor}</c>.
/// </summary>
internal sealed record TraceExchange(
    string Name, string Method, string Path, string[] Headers, string? ContentType, string? Body, int Status, string ResponseBody);

/// <summary>The exchanges of traces 03 (onboarding) and 04 (feature flags), in their recorded order, verbatim.</summary>
internal static class TraceExchanges
{
    /// <summary>Trace 03 after its <c>GET /websites</c>: valid updates, then every rejected body, against one visitor.</summary>
    public static readonly TraceExchange[] Onboarding =
    [
        new("complete step workspace", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"workspace","completed":true}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null}}}}"""),
        new("set metadata on workspace (completed kept)", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"workspace","metadata":{"workspaceName":"Acme","seats":3,"nested":{"a":[1,2]}}}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":{"seats":3,"nested":{"a":[1,2]},"workspaceName":"Acme"}}}}}"""),
        new("complete step with metadata in one call", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"invite-team","completed":false,"metadata":{"invited":0}}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":{"seats":3,"nested":{"a":[1,2]},"workspaceName":"Acme"}},"invite-team":{"completed":false,"metadata":{"invited":0}}}}}"""),
        new("metadata:null clears metadata", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"workspace","metadata":null}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null},"invite-team":{"completed":false,"metadata":{"invited":0}}}}}"""),
        new("uncomplete step", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"workspace","completed":false}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":false,"metadata":null},"invite-team":{"completed":false,"metadata":{"invited":0}}}}}"""),
        new("unknown step id is created", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"some-new-step","completed":true}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":false,"metadata":null},"invite-team":{"completed":false,"metadata":{"invited":0}},"some-new-step":{"completed":true,"metadata":null}}}}"""),
        new("extra unknown keys are stripped", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"workspace","completed":true,"bogus":1}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null},"invite-team":{"completed":false,"metadata":{"invited":0}},"some-new-step":{"completed":true,"metadata":null}}}}"""),
        new("private key + X-Visitor-Id also works", "PATCH", "/support/onboarding", ["Authorization: Bearer {sk}", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"via-private","completed":true}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{"workspace":{"completed":true,"metadata":null},"invite-team":{"completed":false,"metadata":{"invited":0}},"via-private":{"completed":true,"metadata":null},"some-new-step":{"completed":true,"metadata":null}}}}"""),
        new("reset:true", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"reset":true}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{}}}"""),
        new("reset:true with other fields (ignored)", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"reset":true,"stepId":"workspace","completed":true}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{}}}"""),
        new("state after reset", "GET", "/support/state", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], null,
            null,
            200, """{"featureFlags":[],"onboarding":{"steps":{}}}"""),
        new("INVALID {stepId:x} only", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"x"}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"code\": \"custom\",\n    \"path\": [],\n    \"message\": \"Provide reset: true or a stepId with completed and/or metadata.\"\n  }\n]"}}"""),
        new("INVALID {reset:false}", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"reset":false}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"code\": \"custom\",\n    \"path\": [],\n    \"message\": \"Provide reset: true or a stepId with completed and/or metadata.\"\n  }\n]"}}"""),
        new("INVALID {}", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"code\": \"custom\",\n    \"path\": [],\n    \"message\": \"Provide reset: true or a stepId with completed and/or metadata.\"\n  }\n]"}}"""),
        new("INVALID completed:null", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"x","completed":null}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"expected\": \"boolean\",\n    \"code\": \"invalid_type\",\n    \"path\": [\n      \"completed\"\n    ],\n    \"message\": \"Invalid input: expected boolean, received null\"\n  }\n]"}}"""),
        new("INVALID metadata is array", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"x","metadata":[1,2]}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"expected\": \"record\",\n    \"code\": \"invalid_type\",\n    \"path\": [\n      \"metadata\"\n    ],\n    \"message\": \"Invalid input: expected record, received array\"\n  }\n]"}}"""),
        new("INVALID metadata is string", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"x","metadata":"str"}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"expected\": \"record\",\n    \"code\": \"invalid_type\",\n    \"path\": [\n      \"metadata\"\n    ],\n    \"message\": \"Invalid input: expected record, received string\"\n  }\n]"}}"""),
        new("INVALID stepId empty string", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"","completed":true}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"origin\": \"string\",\n    \"code\": \"too_small\",\n    \"minimum\": 1,\n    \"inclusive\": true,\n    \"path\": [\n      \"stepId\"\n    ],\n    \"message\": \"Too small: expected string to have >=1 characters\"\n  },\n  {\n    \"code\": \"custom\",\n    \"path\": [],\n    \"message\": \"Provide reset: true or a stepId with completed and/or metadata.\"\n  }\n]"}}"""),
        new("INVALID completed is string", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":"x","completed":"true"}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"expected\": \"boolean\",\n    \"code\": \"invalid_type\",\n    \"path\": [\n      \"completed\"\n    ],\n    \"message\": \"Invalid input: expected boolean, received string\"\n  }\n]"}}"""),
        new("whitespace stepId accepted?", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":" ","completed":true}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{" ":{"completed":true,"metadata":null}}}}"""),
        new("INVALID malformed JSON", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"stepId":""",
            400, """Malformed JSON in request body"""),
        new("no Content-Type header, valid JSON body", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], null,
            """{"stepId":"no-ctype","completed":true}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{" ":{"completed":true,"metadata":null},"no-ctype":{"completed":true,"metadata":null}}}}"""),
        new("no Content-Type header, invalid body", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], null,
            """{"stepId":"x"}""",
            400, """Request validation failed"""),
        new("text/plain content-type, valid JSON body", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "text/plain",
            """{"stepId":"text-plain","completed":true}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{" ":{"completed":true,"metadata":null},"no-ctype":{"completed":true,"metadata":null},"text-plain":{"completed":true,"metadata":null}}}}"""),
        new("reset:true (cleanup)", "PATCH", "/support/onboarding", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"reset":true}""",
            200, """{"featureFlags":[],"onboarding":{"steps":{}}}"""),
    ];

    /// <summary>Trace 04 after its <c>GET /websites</c>: mutations, rejected bodies, unknown targets and key variants.</summary>
    public static readonly TraceExchange[] FeatureFlags =
    [
        new("add [beta, ' new-message ', beta]", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add","flags":["beta"," new-message ","beta"]}""",
            200, """{"target":{"type":"visitor","id":"{visitor}"},"flags":["beta","new-message"]}"""),
        new("state after add", "GET", "/support/state", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], null,
            null,
            200, """{"featureFlags":["beta","new-message"],"onboarding":{"steps":{}}}"""),
        new("add [Alpha, zeta] (sort order / case)", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add","flags":["zeta","Alpha"]}""",
            200, """{"target":{"type":"visitor","id":"{visitor}"},"flags":["Alpha","beta","new-message","zeta"]}"""),
        new("remove [beta, not-there]", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"remove","flags":["beta","not-there"]}""",
            200, """{"target":{"type":"visitor","id":"{visitor}"},"flags":["Alpha","new-message","zeta"]}"""),
        new("set [gamma, alpha]", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"set","flags":["gamma","alpha"]}""",
            200, """{"target":{"type":"visitor","id":"{visitor}"},"flags":["alpha","gamma"]}"""),
        new("state after set", "GET", "/support/state", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], null,
            null,
            200, """{"featureFlags":["alpha","gamma"],"onboarding":{"steps":{}}}"""),
        new("add [] (no-op)", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add","flags":[]}""",
            200, """{"target":{"type":"visitor","id":"{visitor}"},"flags":["alpha","gamma"]}"""),
        new("set [] (clear)", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"set","flags":[]}""",
            200, """{"target":{"type":"visitor","id":"{visitor}"},"flags":[]}"""),
        new("state after clear", "GET", "/support/state", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], null,
            null,
            200, """{"featureFlags":[],"onboarding":{"steps":{}}}"""),
        new("INVALID flag containing comma", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add","flags":["bad,flag"]}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"code\": \"custom\",\n    \"path\": [\n      \"flags\",\n      0\n    ],\n    \"message\": \"Feature flag names cannot contain commas.\"\n  }\n]"}}"""),
        new("INVALID whitespace-only flag", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add","flags":["   "]}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"code\": \"custom\",\n    \"path\": [\n      \"flags\",\n      0\n    ],\n    \"message\": \"Feature flag names must be non-empty strings.\"\n  }\n]"}}"""),
        new("INVALID empty-string flag", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add","flags":[""]}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"code\": \"custom\",\n    \"path\": [\n      \"flags\",\n      0\n    ],\n    \"message\": \"Feature flag names must be non-empty strings.\"\n  }\n]"}}"""),
        new("INVALID operation toggle", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"toggle","flags":["x"]}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"code\": \"invalid_value\",\n    \"values\": [\n      \"add\",\n      \"remove\",\n      \"set\"\n    ],\n    \"path\": [\n      \"operation\"\n    ],\n    \"message\": \"Invalid option: expected one of \\\"add\\\"|\\\"remove\\\"|\\\"set\\\"\"\n  }\n]"}}"""),
        new("INVALID target.type", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"user","id":"{visitor}"},"operation":"add","flags":["x"]}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"code\": \"invalid_value\",\n    \"values\": [\n      \"visitor\",\n      \"contact\",\n      \"contactOrganization\"\n    ],\n    \"path\": [\n      \"target\",\n      \"type\"\n    ],\n    \"message\": \"Invalid option: expected one of \\\"visitor\\\"|\\\"contact\\\"|\\\"contactOrganization\\\"\"\n  }\n]"}}"""),
        new("INVALID missing flags", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add"}""",
            400, """{"success":false,"error":{"name":"ZodError","message":"[\n  {\n    \"expected\": \"array\",\n    \"code\": \"invalid_type\",\n    \"path\": [\n      \"flags\"\n    ],\n    \"message\": \"Invalid input: expected array, received undefined\"\n  }\n]"}}"""),
        new("unknown target visitor -> 404", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"01M89BS7KM4V1Q9AHKD2C4DT3S"},"operation":"add","flags":["x"]}""",
            404, """{"error":"NOT_FOUND","message":"Target not found"}"""),
        new("unknown target contact -> 404", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"contact","id":"01M89BS7KV56PPNJWWECFXG04N"},"operation":"add","flags":["x"]}""",
            404, """{"error":"NOT_FOUND","message":"Target not found"}"""),
        new("unknown target contactOrganization -> 404", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"contactOrganization","id":"01M89BS7M6BV8REMRMDFF7Q2E3"},"operation":"add","flags":["x"]}""",
            404, """{"error":"NOT_FOUND","message":"Target not found"}"""),
        new("public key only (+Origin) -> ?", "PATCH", "/support/feature-flags", ["X-Public-Key: {pk}", "Origin: http://localhost:3000"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add","flags":["x"]}""",
            401, """API key is required"""),
        new("public key only + X-Visitor-Id -> ?", "PATCH", "/support/feature-flags", ["X-Public-Key: {pk}", "Origin: http://localhost:3000", "X-Visitor-Id: {visitor}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add","flags":["x"]}""",
            401, """API key is required"""),
        new("public key, no Origin -> ?", "PATCH", "/support/feature-flags", ["X-Public-Key: {pk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add","flags":["x"]}""",
            403, """Origin header is required for public key authentication. This API key can only be used from browser environments."""),
        new("private key with 'Token' scheme word", "PATCH", "/support/feature-flags", ["Authorization: Token {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add","flags":["scheme-check"]}""",
            200, """{"target":{"type":"visitor","id":"{visitor}"},"flags":["scheme-check"]}"""),
        new("private key as bare Authorization value (no scheme)", "PATCH", "/support/feature-flags", ["Authorization: {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"add","flags":["x"]}""",
            401, """API key is required"""),
        new("unlinked private key", "PATCH", "/support/feature-flags", ["Authorization: Bearer {sk}"], "application/json",
            """{"target":{"type":"visitor","id":"{visitor}"},"operation":"set","flags":[]}""",
            200, """{"target":{"type":"visitor","id":"{visitor}"},"flags":[]}"""),
    ];

    /// <summary>Sends each exchange's request as recorded and asserts the recorded status and body text.</summary>
    public static async Task ReplayAsync(CossistantEmulator emulator, string visitorId, IEnumerable<TraceExchange> exchanges)
    {
        string Fill(string text) => text
            .Replace("{pk}", emulator.DefaultWebsite.PublicKey, StringComparison.Ordinal)
            .Replace("{sk}", emulator.DefaultWebsite.PrivateApiKey, StringComparison.Ordinal)
            .Replace("{visitor}", visitorId, StringComparison.Ordinal);

        foreach (var exchange in exchanges)
        {
            var headers = exchange.Headers
                .Select(header => header.Split(": ", 2))
                .Select(parts => new KeyValuePair<string, string>(parts[0], Fill(parts[1])));
            var response = await SendAsync(
                new HttpMethod(exchange.Method), Api(emulator, exchange.Path), headers, exchange.Body is { } body ? Fill(body) : null, exchange.ContentType);
            var expected = Fill(exchange.ResponseBody);
            Assert.True(
                response.Status == exchange.Status && response.Body == expected,
                $"{exchange.Name}:\nexpected {exchange.Status} {expected}\nactual   {response.Status} {response.Body}");
        }
    }
}
