using System.Collections.Immutable;

namespace Cossistant.Client.Testing;

/// <summary>One request the emulator received (REST or socket upgrade), as sent, with the status it answered.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, e.g. <c>/v1/support/state</c>.</param>
/// <param name="Query">The query string including <c>?</c>, or empty.</param>
/// <param name="Headers">The request headers (names lower-case). They include the keys the client sent.</param>
/// <param name="Body">The body text, or empty.</param>
/// <param name="StatusCode">The status the emulator answered (101 for an accepted socket).</param>
public sealed record RecordedRequest(
    string Method, string Path, string Query, ImmutableDictionary<string, string> Headers, string Body, int StatusCode)
{
    /// <summary>A header's value, or <see langword="null"/>.</summary>
    /// <param name="name">The header name (any case).</param>
    /// <returns>The value.</returns>
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}
