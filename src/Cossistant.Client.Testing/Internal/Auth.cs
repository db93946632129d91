namespace Cossistant.Client.Testing.Internal;

/// <summary>The outcome of checking a request's credentials.</summary>
internal sealed record AuthResult(WebsiteRecord? Website, bool IsPrivate, int Status, string? Failure)
{
    public static AuthResult Fail(int status, string message) => new(null, false, status, message);
}

/// <summary>
/// The upstream key rules: a private key (<c>Authorization: &lt;scheme&gt; sk_...</c>) wins and needs no Origin; a
/// public key needs an Origin whose host is on the website's allowlist (an entry matches itself and every
/// subdomain; <c>*.x</c> the same; ports ignored). A bare <c>Authorization: sk_...</c> counts as no key.
/// </summary>
internal static class Auth
{
    public const string ApiKeyRequired = "API key is required";

    public const string OriginRequired =
        "Origin header is required for public key authentication. This API key can only be used from browser environments.";

    public static AuthResult Check(EmulatorData data, string? authorization, string? publicKey, string? origin)
    {
        if (!string.IsNullOrWhiteSpace(authorization))
        {
            var parts = authorization.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2)
            {
                return data.FindWebsiteByPrivateKey(parts[1]) is { } site
                    ? new AuthResult(site, true, 200, null)
                    : AuthResult.Fail(401, "Invalid API key");
            }
        }

        if (string.IsNullOrEmpty(publicKey))
        {
            return AuthResult.Fail(401, ApiKeyRequired);
        }

        if (!KeyFormat.IsPublicKey(publicKey))
        {
            return AuthResult.Fail(401, "Invalid public API key format");
        }

        if (data.FindWebsiteByPublicKey(publicKey) is not { } website)
        {
            return AuthResult.Fail(401, "Invalid API key");
        }

        if (string.IsNullOrWhiteSpace(origin) || origin == "null" || !Uri.TryCreate(origin, UriKind.Absolute, out var originUri))
        {
            return AuthResult.Fail(403, OriginRequired);
        }

        var host = originUri.Host;
        return IsAllowed(website, host)
            ? new AuthResult(website, false, 200, null)
            : AuthResult.Fail(403, $"Domain {host} is not whitelisted for this API key");
    }

    private static bool IsAllowed(WebsiteRecord website, string host)
    {
        foreach (var entry in website.AllowedDomains)
        {
            var domain = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
            if (host.Equals(domain, StringComparison.OrdinalIgnoreCase)
                || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
