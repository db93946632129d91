namespace Cossistant.Client.Protocol;

/// <summary>The <c>PATCH /support/feature-flags</c> body.</summary>
internal sealed record FeatureFlagMutationRequest(FeatureFlagTarget Target, FeatureFlagOperation Operation, IReadOnlyList<string> Flags);
