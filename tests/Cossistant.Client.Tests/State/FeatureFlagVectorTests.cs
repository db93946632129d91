using Cossistant.Client.Tests.Vectors;

namespace Cossistant.Client.Tests.State;

public sealed class FeatureFlagVectorTests
{
    public static TheoryData<int> Normalization => SpecVectors.Indexes("flagNormalization");
    public static TheoryData<int> StoredParse => SpecVectors.Indexes("storedFlagsParse");
    public static TheoryData<int> StoredSerialize => SpecVectors.Indexes("storedFlagsSerialize");
    public static TheoryData<int> Mutation => SpecVectors.Indexes("flagMutation");
    public static TheoryData<int> MutationRejected => SpecVectors.Indexes("flagMutationRejected");

    [Theory]
    [MemberData(nameof(Normalization))]
    public void Normalize_ReferenceVector_GivesExpected(int index)
    {
        var vector = SpecVectors.Case("flagNormalization", index);
        var actual = SupportFeatureFlags.Normalize(SpecVectors.Strings(vector.GetProperty("input")));
        Assert.Equal(SpecVectors.Strings(vector.GetProperty("expected")), actual.ToArray());
    }

    [Theory]
    [MemberData(nameof(StoredParse))]
    public void ParseStored_ReferenceVector_GivesExpected(int index)
    {
        var vector = SpecVectors.Case("storedFlagsParse", index);
        var stored = vector.GetProperty("stored");
        var actual = SupportFeatureFlags.ParseStored(stored.ValueKind == System.Text.Json.JsonValueKind.Null ? null : stored.GetString());
        Assert.Equal(SpecVectors.Strings(vector.GetProperty("expected")), actual.ToArray());
    }

    [Theory]
    [MemberData(nameof(StoredSerialize))]
    public void SerializeStored_ReferenceVector_GivesExpected(int index)
    {
        var vector = SpecVectors.Case("storedFlagsSerialize", index);
        var expected = vector.GetProperty("expected");
        var actual = SupportFeatureFlags.SerializeStored(SpecVectors.Strings(vector.GetProperty("flags")));
        Assert.Equal(expected.ValueKind == System.Text.Json.JsonValueKind.Null ? null : expected.GetString(), actual);
    }

    [Theory]
    [MemberData(nameof(Mutation))]
    public void ApplyMutation_ReferenceVector_GivesExpected(int index)
    {
        var vector = SpecVectors.Case("flagMutation", index);
        var operation = Enum.Parse<FeatureFlagOperation>(vector.GetProperty("operation").GetString()!, ignoreCase: true);
        var actual = SupportFeatureFlags.ApplyMutation(
            SpecVectors.Strings(vector.GetProperty("current")), operation, SpecVectors.Strings(vector.GetProperty("flags")));
        Assert.Equal(SpecVectors.Strings(vector.GetProperty("expected")), actual.ToArray());
    }

    [Theory]
    [MemberData(nameof(MutationRejected))]
    public void TryValidateMutationFlags_RejectedVector_GivesServerMessage(int index)
    {
        var vector = SpecVectors.Case("flagMutationRejected", index);
        var valid = SupportFeatureFlags.TryValidateMutationFlags(SpecVectors.Strings(vector.GetProperty("flags")), out var error);
        Assert.False(valid);
        Assert.Equal(vector.GetProperty("message").GetString(), error);
    }

    [Fact]
    public void TryValidateMutationFlags_ValidFlags_Passes()
    {
        Assert.True(SupportFeatureFlags.TryValidateMutationFlags([" beta ", "new-message"], out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("\uFEFF", "")]
    [InlineData("\u0085x\u0085", "\u0085x\u0085")]
    [InlineData("\u180Ex", "\u180Ex")]
    [InlineData("\u1680\u2000\u200A\u202F\u205F\u2029x\u000B\u000C\r", "x")]
    public void Normalize_JavaScriptTrimSet_MatchesEcmaScript(string input, string trimmed)
    {
        var actual = SupportFeatureFlags.Normalize([input]);
        Assert.Equal(trimmed.Length == 0 ? [] : new[] { trimmed }, actual.ToArray());
    }
}
