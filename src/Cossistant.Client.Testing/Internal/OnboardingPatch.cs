using System.Text.Json;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// A valid <c>PATCH /support/onboarding</c> body: a reset, or a step with <c>completed</c> and/or metadata.
/// <see cref="HasMetadata"/> keeps <c>"metadata": null</c> (clear) apart from an absent key (keep).
/// </summary>
internal sealed record OnboardingPatch(bool Reset, string? StepId, bool? Completed, bool HasMetadata, JsonElement? Metadata);
