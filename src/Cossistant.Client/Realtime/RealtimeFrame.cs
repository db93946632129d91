namespace Cossistant.Client.Realtime;

/// <summary>A parsed server frame of the realtime socket.</summary>
internal abstract record RealtimeFrame
{
    /// <summary>The hello: <c>CONNECTION_ESTABLISHED</c> or the newer <c>connection.accepted</c>.</summary>
    public sealed record Hello(string? ConnectionId, string? WebsiteId, string? VisitorId, string? OrganizationId) : RealtimeFrame;

    /// <summary>The text frame <c>pong</c>, the answer to a heartbeat <c>ping</c>.</summary>
    public sealed record Pong : RealtimeFrame;

    /// <summary>An error frame: <c>{"error","message","code"}</c> or <c>{"type":"error","code","message"}</c>.</summary>
    public sealed record Error(string? Kind, string? Message, int? Code, string? Details) : RealtimeFrame
    {
        /// <summary>Authentication and identification failures: the server closes with 1008/1011 next.</summary>
        public bool IsAuthenticationFailure =>
            Code is 401 or 403
            || string.Equals(Kind, "Authentication failed", StringComparison.Ordinal)
            || string.Equals(Kind, "Identification required", StringComparison.Ordinal);
    }

    /// <summary>A <c>supportStateUpdated</c> event with the full state of one visitor.</summary>
    public sealed record SupportStateUpdated(string? WebsiteId, string? OrganizationId, string? VisitorId, string? UserId, SupportState State)
        : RealtimeFrame;

    /// <summary>Any other event type (conversations, typing, presence…): ignored.</summary>
    public sealed record Other(string Type) : RealtimeFrame;
}
