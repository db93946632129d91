namespace Cossistant.Client.Tool.Admin;

/// <summary>What an admin command runs with: the SDK's server client over the API from the environment, and the console.</summary>
internal sealed class AdminContext
{
    private readonly CossistantSessionFactory _factory;

    /// <summary>Creates the context.</summary>
    /// <param name="factory">The SDK's factory (one HTTP stack, the options validated).</param>
    /// <param name="console">Where to write.</param>
    /// <param name="json">Whether results are written as JSON.</param>
    public AdminContext(CossistantSessionFactory factory, ToolConsole console, bool json)
    {
        _factory = factory;
        Console = console;
        Json = json;
    }

    /// <summary>The SDK's server client (private key).</summary>
    public ICossistantServerClient Server => _factory.ServerClient;

    /// <summary>Where to write.</summary>
    public ToolConsole Console { get; }

    /// <summary>Whether results are written as one JSON object line.</summary>
    public bool Json { get; }

    /// <summary>
    /// Checks a visitor id with the SDK's own rule (a ULID as the API issues it) before any request. The rule is
    /// internal to the SDK; creating a session applies it and sends nothing, so the tool reuses it that way instead
    /// of a copy that could drift.
    /// </summary>
    /// <param name="visitorId">The id from the command line.</param>
    /// <returns>A task that completes when checked.</returns>
    /// <exception cref="ToolInputException">The id is not a ULID.</exception>
    public async Task CheckVisitorIdAsync(string visitorId)
    {
        CossistantSession session;
        try
        {
            session = _factory.CreateSession(visitorId);
        }
        catch (ArgumentException exception)
        {
            throw ToolInputException.From($"--visitor \"{visitorId}\"", exception);
        }

        await session.DisposeAsync().ConfigureAwait(false);
    }
}
