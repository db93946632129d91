namespace Cossistant.Client.Testing.Internal;

/// <summary>The <c>operation</c> of a <c>PATCH /support/feature-flags</c> body.</summary>
internal enum FlagOperation
{
    Add,
    Remove,
    Set,
}
