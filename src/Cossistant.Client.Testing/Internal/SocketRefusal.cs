using System.Text;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// Why the socket refuses a connection, as upstream says it: the error frame <c>{"error","message","code"}</c> sent
/// after the upgrade, and the reason of the 1008 close that follows.
/// </summary>
internal sealed record SocketRefusal(string Error, string Message, int Code, string CloseReason)
{
    /// <summary>The longest close reason a WebSocket close frame can carry, in UTF-8 bytes.</summary>
    public const int MaxCloseReasonBytes = 123;

    /// <summary>No key at all (or an <c>Authorization</c> value without a scheme word).</summary>
    public static SocketRefusal NoCredentials { get; } = new(
        "Authentication failed", "Authentication failed: Provide a valid API key or be signed in.", 1008, "Authentication failed");

    /// <summary>A public key that passed, but no usable visitor id.</summary>
    public static SocketRefusal IdentificationRequired { get; } = new(
        "Identification required",
        "Either authenticate with credentials or provide a visitor ID via X-Visitor-Id header or query parameter.",
        1008,
        "Identification required");

    /// <summary>A refused key or Origin: the REST status (401 or 403) is the code, the message is the close reason.</summary>
    public static SocketRefusal Rejected(int status, string message) => new("Authentication failed", message, status, Truncate(message));

    /// <summary>Cuts a close reason to <see cref="MaxCloseReasonBytes"/> UTF-8 bytes, never inside a character.</summary>
    public static string Truncate(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes)
        {
            return reason;
        }

        var bytes = 0;
        var end = 0;
        foreach (var rune in reason.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > MaxCloseReasonBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }

        return reason[..end];
    }
}
