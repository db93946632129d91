namespace Cossistant.Client;

/// <summary>
/// A support config (its flags or onboarding steps) is invalid. Thrown when the config or a flag/step handle
/// is created, never later. <see cref="Message"/> is exactly the rule's message, as the TypeScript SDK gives it.
/// </summary>
public sealed class SupportConfigException : ArgumentException
{
    private readonly string _message;

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The rule's message.</param>
    /// <param name="paramName">The argument that holds the invalid value.</param>
    public SupportConfigException(string message, string? paramName)
        : base(message, paramName)
    {
        _message = message;
    }

    /// <summary>The rule's message, without the parameter-name suffix <see cref="ArgumentException"/> adds.</summary>
    public override string Message => _message;
}
