namespace Cossistant.Client.Tests.Vectors;

public sealed class SpecVectorsTests
{
    [Fact]
    public void BundledCopy_WhenSharedSpecExists_EqualsSharedSpec()
    {
        Assert.SkipWhen(SpecVectors.SharedPath is null, "No shared/spec next to the repository: only the bundled copy exists.");
        Assert.Equal(File.ReadAllText(SpecVectors.SharedPath!), File.ReadAllText(SpecVectors.BundledPath));
    }

    [Theory]
    [InlineData("flagNormalization")]
    [InlineData("storedFlagsParse")]
    [InlineData("storedFlagsSerialize")]
    [InlineData("flagMutation")]
    [InlineData("flagMutationRejected")]
    [InlineData("onboardingNormalization")]
    [InlineData("onboardingUpdateRejectedByServer")]
    [InlineData("configValidation")]
    [InlineData("onboardingSnapshot")]
    public void Section_IsPresentAndNonEmpty(string section) =>
        Assert.NotEqual(0, SpecVectors.Root.GetProperty(section).GetArrayLength());
}
