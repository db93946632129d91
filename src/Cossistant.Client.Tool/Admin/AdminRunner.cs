using System.Text.Json.Nodes;

namespace Cossistant.Client.Tool.Admin;

/// <summary>
/// Runs an admin command: checks its input, reads the key and API from the environment, calls the API with the SDK's
/// server client, and turns every failure into one error line and an exit code (see <see cref="ExitCodes"/>).
/// </summary>
internal static class AdminRunner
{
    /// <summary>The environment variable holding the private key (never a command-line argument: it would land in shell history).</summary>
    public const string PrivateKeyVariable = "COSSISTANT_PRIVATE_API_KEY";

    /// <summary>The environment variable holding the REST base URL.</summary>
    public const string ApiUrlVariable = "COSSISTANT_API_URL";

    /// <summary>Runs a command.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="json">Whether results and errors are written as JSON.</param>
    /// <param name="prepare">Checks the command's input (throwing <see cref="ArgumentException"/> or <see cref="ToolInputException"/>) and returns the work, which may send requests.</param>
    /// <param name="cancellationToken">Cancelled on Ctrl+C or SIGTERM.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(
        ToolConsole console, bool json, Func<Func<AdminContext, CancellationToken, Task>> prepare, CancellationToken cancellationToken)
    {
        try
        {
            var work = prepare();
            var options = ReadOptions(console);
            CossistantSessionFactory factory;
            try
            {
                factory = new CossistantSessionFactory(options);
            }
            catch (ArgumentException exception)
            {
                throw ToolInputException.From($"the settings from {PrivateKeyVariable} and {ApiUrlVariable}", exception);
            }

            await using (factory.ConfigureAwait(false))
            {
                await work(new AdminContext(factory, console, json), cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }
        catch (Exception exception)
        {
            return Report(console, json, exception, cancellationToken);
        }
    }

    /// <summary>Writes one error line for a failure and gives its exit code.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="json">Whether to write the error as a JSON object.</param>
    /// <param name="exception">The failure.</param>
    /// <param name="cancellationToken">The command's token: a cancellation it caused is an interruption.</param>
    /// <returns>The exit code.</returns>
    public static int Report(ToolConsole console, bool json, Exception exception, CancellationToken cancellationToken)
    {
        var (code, kind) = exception switch
        {
            ToolInputException or ArgumentException => (ExitCodes.BadInput, "bad-input"),
            CossistantAuthenticationException => (ExitCodes.Authentication, "authentication"),
            CossistantValidationException => (ExitCodes.BadInput, "bad-input"),
            CossistantException { StatusCode: 404 } => (ExitCodes.NotFound, "not-found"),
            OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Other, "interrupted"),
            _ => (ExitCodes.Other, "error"),
        };
        var message = exception switch
        {
            _ when kind == "interrupted" => "interrupted",
            CossistantException or ToolInputException or ArgumentException or IOException => exception.Message,
            _ => $"{exception.GetType().Name}: {exception.Message}", // unexpected: the type helps a bug report
        };
        if (code == ExitCodes.Authentication)
        {
            message += $" (The tool reads the key from {PrivateKeyVariable}.)";
        }

        if (json)
        {
            var error = new JsonObject { ["kind"] = kind, ["exitCode"] = code, ["message"] = message };
            if (exception is CossistantException api)
            {
                error["status"] = api.StatusCode;
                error["code"] = api.ErrorCode;
                error["serverMessage"] = api.ServerMessage;
            }

            console.WriteErrorJson(new JsonObject { ["error"] = error });
        }
        else
        {
            console.WriteError($"cossistant: {message}");
        }

        return code;
    }

    private static CossistantClientOptions ReadOptions(ToolConsole console)
    {
        var key = Environment.GetEnvironmentVariable(PrivateKeyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ToolInputException(
                $"{PrivateKeyVariable} is not set: export the website's private key (sk_...) in it; the tool never takes a key as an argument.");
        }

        console.Secret = key;
        var apiUrl = CossistantClientOptions.DefaultApiUrl;
        var url = Environment.GetEnvironmentVariable(ApiUrlVariable);
        if (!string.IsNullOrWhiteSpace(url) && !Uri.TryCreate(url, UriKind.Absolute, out apiUrl))
        {
            throw new ToolInputException(
                $"{ApiUrlVariable} is not an absolute URL: \"{url}\"; expected e.g. {CossistantClientOptions.DefaultApiUrl} or the URL `cossistant emulator` prints.");
        }

        return new CossistantClientOptions { ApiUrl = apiUrl, PrivateApiKey = key };
    }
}
