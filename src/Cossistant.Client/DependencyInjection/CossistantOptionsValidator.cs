using Microsoft.Extensions.Options;

namespace Cossistant.Client.DependencyInjection;

/// <summary>Runs <see cref="CossistantClientOptions.Validate"/> for the options system (and so on host start).</summary>
internal sealed class CossistantOptionsValidator : IValidateOptions<CossistantClientOptions>
{
    public ValidateOptionsResult Validate(string? name, CossistantClientOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
