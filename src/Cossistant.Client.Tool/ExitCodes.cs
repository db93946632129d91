namespace Cossistant.Client.Tool;

/// <summary>The process exit codes of every <c>cossistant</c> command (documented in <c>--help</c> and the README).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>Anything else: a server error after retries, a network failure, a port in use, an interruption.</summary>
    public const int Other = 1;

    /// <summary>Bad input, found before any request (arguments, names, ids, the environment, the seed file) or refused by the server (400).</summary>
    public const int BadInput = 2;

    /// <summary>The server refused the key (401/403).</summary>
    public const int Authentication = 3;

    /// <summary>The visitor, contact or organization does not exist for this website (404).</summary>
    public const int NotFound = 4;

    /// <summary>The table as help text.</summary>
    public const string HelpText =
        "Exit codes: 0 ok; 1 other error (server error after retries, network, port in use, interrupted); "
        + "2 bad input (arguments, flag names, ids, missing COSSISTANT_PRIVATE_API_KEY, bad COSSISTANT_API_URL, a 400 answer); "
        + "3 authentication (401/403); 4 not found (404).";
}
