using System.Text.Json;
using Cossistant.Client.Tests.State;
using Cossistant.Client.Tests.Vectors;

namespace Cossistant.Client.Tests.Support;

public sealed class SupportConfigVectorTests
{
    public static TheoryData<int> Configs => SpecVectors.Indexes("configValidation");
    public static TheoryData<int> Snapshots => SpecVectors.Indexes("onboardingSnapshot");

    [Theory]
    [MemberData(nameof(Configs))]
    public void FromNames_ReferenceConfig_AcceptsOrRejectsWithExactMessage(int index)
    {
        var vector = SpecVectors.Case("configValidation", index);
        var config = vector.GetProperty("config");

        if (vector.TryGetProperty("valid", out var valid) && valid.GetBoolean())
        {
            var built = Build(config);
            Assert.Equal(SpecVectors.Strings(config.GetProperty("featureFlags")), built.FeatureFlags.Select(flag => flag.Name).ToArray());
            return;
        }

        var error = Assert.Throws<SupportConfigException>(() => Build(config));
        Assert.Equal(vector.GetProperty("error").GetString(), error.Message);
    }

    [Theory]
    [MemberData(nameof(Snapshots))]
    public void GetOnboardingSnapshot_ReferenceVector_GivesExpected(int index)
    {
        var vector = SpecVectors.Case("onboardingSnapshot", index);
        var config = SupportConfig.Create([], ReadSteps(vector.GetProperty("steps")));
        var snapshot = config.GetOnboardingSnapshot(OnboardingState.FromJson(vector.GetProperty("state")));
        var expected = vector.GetProperty("expected");

        var currentStepId = expected.GetProperty("currentStepId");
        Assert.Equal(currentStepId.ValueKind == JsonValueKind.Null ? null : currentStepId.GetString(), snapshot.CurrentStepId);
        Assert.Equal(expected.GetProperty("isCompleted").GetBoolean(), snapshot.IsCompleted);
        if (expected.TryGetProperty("steps", out var steps))
        {
            Assert.Equal(steps.GetArrayLength(), snapshot.Steps.Length);
            for (var i = 0; i < snapshot.Steps.Length; i++)
            {
                var step = steps[i];
                Assert.Equal(step.GetProperty("id").GetString(), snapshot.Steps[i].Id);
                Assert.Equal(step.GetProperty("completed").GetBoolean(), snapshot.Steps[i].Completed);
                var metadata = step.GetProperty("metadata");
                if (metadata.ValueKind == JsonValueKind.Null)
                {
                    Assert.Null(snapshot.Steps[i].Metadata);
                }
                else
                {
                    OnboardingVectorTests.AssertJsonEqual(metadata, snapshot.Steps[i].Metadata!.Value.GetRawText());
                }
            }
        }
    }

    private static SupportConfig Build(JsonElement config)
    {
        var flags = config.TryGetProperty("featureFlags", out var f) ? SpecVectors.Strings(f).Select(name => name!) : [];
        var steps = config.TryGetProperty("onboarding", out var onboarding) ? ReadSteps(onboarding.GetProperty("steps")) : null;
        return SupportConfig.FromNames(flags, steps);
    }

    private static List<OnboardingStep> ReadSteps(JsonElement steps) =>
    [
        .. steps.EnumerateArray().Select(step => new OnboardingStep(
            step.GetProperty("id").GetString()!,
            isFirst: step.TryGetProperty("isFirst", out var first) && first.GetBoolean(),
            isLast: step.TryGetProperty("isLast", out var last) && last.GetBoolean())),
    ];
}
