using System.Collections.Immutable;

namespace Cossistant.Client.Testing.Internal;

/// <summary>
/// What <c>GET /support/state</c> answers for a visitor: the union of its levels' flags (normalized) and the onboarding
/// that applies to it; conversions from and to the client's public <see cref="SupportState"/>.
/// </summary>
internal sealed record ResolvedState(ImmutableArray<string> FeatureFlags, StoredOnboarding Onboarding)
{
    public static ResolvedState FromPublic(SupportState state) => new(state.FeatureFlags, StoredOnboarding.FromPublic(state.Onboarding));

    public SupportState ToPublic() => new(FeatureFlags, Onboarding.ToPublic());
}
