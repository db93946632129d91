using System.Text.Json;
using Cossistant.Client.Tests.Vectors;

namespace Cossistant.Client.Tests.State;

public sealed class OnboardingVectorTests
{
    public static TheoryData<int> Normalization => SpecVectors.Indexes("onboardingNormalization");
    public static TheoryData<int> Rejected => SpecVectors.Indexes("onboardingUpdateRejectedByServer");

    public static TheoryData<int> UpdateSequenceSteps
    {
        get
        {
            var data = new TheoryData<int>();
            var count = SpecVectors.Root.GetProperty("onboardingUpdateSequence").GetProperty("updates").GetArrayLength();
            for (var i = 0; i < count; i++)
            {
                data.Add(i);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Normalization))]
    public void FromJson_ReferenceVector_GivesExpected(int index)
    {
        var vector = SpecVectors.Case("onboardingNormalization", index);
        var actual = OnboardingState.FromJson(vector.GetProperty("input"));
        var expected = OnboardingState.FromJson(vector.GetProperty("expected"));
        Assert.Equal(expected, actual);
        AssertJsonEqual(vector.GetProperty("expected"), actual.ToString());
    }

    [Fact]
    public void FromJson_MetadataNotAnObject_GivesNullMetadataAndKeepsCompleted()
    {
        var state = OnboardingState.FromJson(Parse("""{"steps":{"workspace":{"completed":true,"metadata":"not-an-object"}}}"""));
        Assert.True(state.TryGetStep("workspace", out var step));
        Assert.True(step.Completed);
        Assert.Null(step.Metadata);
    }

    [Theory]
    [MemberData(nameof(UpdateSequenceSteps))]
    public void Apply_UpdateSequence_EachStepGivesExpected(int upTo)
    {
        var sequence = SpecVectors.Root.GetProperty("onboardingUpdateSequence");
        var state = OnboardingState.FromJson(sequence.GetProperty("start"));
        JsonElement expected = default;
        for (var i = 0; i <= upTo; i++)
        {
            var item = sequence.GetProperty("updates")[i];
            var update = JsonSerializer.Deserialize<OnboardingUpdate>(item.GetProperty("update").GetRawText())!;
            state = state.Apply(update);
            expected = item.GetProperty("expected");
        }

        Assert.Equal(OnboardingState.FromJson(expected), state);
        AssertJsonEqual(expected, state.ToString());
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Deserialize_BodyTheServerRejects_Throws(int index)
    {
        var body = SpecVectors.Case("onboardingUpdateRejectedByServer", index).GetProperty("body").GetRawText();
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<OnboardingUpdate>(body));
    }

    internal static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    internal static void AssertJsonEqual(JsonElement expected, string actualJson)
    {
        using var actual = JsonDocument.Parse(actualJson);
        Assert.True(
            JsonElement.DeepEquals(expected, actual.RootElement),
            $"Expected {expected.GetRawText()} but got {actualJson}");
    }
}
