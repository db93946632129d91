namespace Cossistant.Client.Errors;

/// <summary>
/// Replaces the configured keys in any text the SDK builds from outside input (server bodies, error frames, close
/// reasons, transport messages) before it reaches an exception or a log line.
/// </summary>
internal sealed class SecretScrubber(IReadOnlyList<string> secrets)
{
    public const string Replacement = "[redacted]";

    public string? Scrub(string? text)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var secret in secrets)
        {
            text = text.Replace(secret, Replacement); // ordinal on every target
        }

        return text;
    }
}
