namespace Cossistant.Client.Testing.Internal;

/// <summary>A valid <c>PATCH /support/feature-flags</c> body.</summary>
internal sealed record FlagMutation(FeatureFlagTargetType TargetType, string TargetId, FlagOperation Operation, IReadOnlyList<string> Flags);
