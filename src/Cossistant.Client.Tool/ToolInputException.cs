namespace Cossistant.Client.Tool;

/// <summary>Bad input found by the tool itself (exit code <see cref="ExitCodes.BadInput"/>); the message is shown as is.</summary>
internal sealed class ToolInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ToolInputException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it; never a key.</param>
    public ToolInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it; never a key.</param>
    /// <param name="innerException">The cause.</param>
    public ToolInputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An <see cref="ArgumentException"/>'s message without the " (Parameter 'x')" suffix.</summary>
    /// <param name="what">What was checked, e.g. <c>flag name "a,b"</c>.</param>
    /// <param name="exception">The SDK's exception.</param>
    /// <returns>The exception to throw.</returns>
    public static ToolInputException From(string what, ArgumentException exception)
    {
        var message = exception.Message;
        var suffix = exception.ParamName is { } name ? $" (Parameter '{name}')" : null;
        if (suffix is not null && message.EndsWith(suffix, StringComparison.Ordinal))
        {
            message = message[..^suffix.Length];
        }

        return new ToolInputException($"{what}: {message}", exception);
    }
}
