using System.Text.Json;
using CsCheck;

namespace Cossistant.Client.Tests.State;

/// <summary>
/// Property tests of the flag rules (<see cref="SupportFeatureFlags"/>) and of the onboarding update rule
/// (<see cref="OnboardingState.Apply"/>). Generators are biased towards the awkward inputs: commas, every
/// JavaScript whitespace character, U+0085 (which JavaScript does NOT trim), duplicates and case variants.
/// </summary>
public sealed class SupportStateLawTests
{
    /// <summary>
    /// ECMAScript WhiteSpace + LineTerminator (what <c>String.prototype.trim</c> removes), written out here
    /// on purpose instead of reusing the library's helper.
    /// </summary>
    private const string JsWhitespace =
        "\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680"
        + "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A"
        + "\u2028\u2029\u202F\u205F\u3000\uFEFF";

    /// <summary>Characters that look like whitespace but that JavaScript's trim keeps.</summary>
    private const string NotJsWhitespace = "\u0085\u180E\u200B";

    /// <summary>One of the given values (CsCheck 5's <c>Gen.OneOf</c>, 4's <c>Gen.OneOfConst</c>: the tests run on both).</summary>
    private static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private const int Iterations = 500;

    private static readonly string[] StepIds = ["workspace", "invite-team", "done", "Workspace", "a", "b"];

    private static readonly string[] MetadataKeys = ["workspaceName", "invitedEmails", "a", "b", "c"];

    /// <summary>One piece of a flag name.</summary>
    private static readonly Gen<string> FlagToken = Gen.Frequency(
        (6, Pick("beta", "Beta", "BETA", "alpha", "Alpha", "new-message", "New-Message", "x", "b")),
        (4, Gen.Char[JsWhitespace].Select(c => c.ToString())),
        (2, Gen.Char[NotJsWhitespace].Select(c => c.ToString())),
        (2, Gen.Const(",")),
        (1, Gen.String[0, 3]));

    /// <summary>A flag name made of 0-4 tokens, e.g. <c>"\uFEFF beta"</c>, <c>"a,b"</c>, <c>""</c>.</summary>
    private static readonly Gen<string> FlagName = FlagToken.Array[0, 4].Select(string.Concat);

    /// <summary>A flag name or (rarely) null, which the library drops.</summary>
    private static readonly Gen<string?> MaybeFlagName = Gen.Frequency(
        (12, FlagName.Select(name => (string?)name)),
        (1, Gen.Const(() => (string?)null)));

    /// <summary>A flag list; with the small vocabulary it very often holds duplicates.</summary>
    private static readonly Gen<string?[]> FlagList = MaybeFlagName.Array[0, 8];

    /// <summary>A flag list that certainly contains duplicates and JS-trim-equal variants of its own names.</summary>
    private static readonly Gen<string?[]> FlagListWithDuplicates =
        Gen.Select(FlagName.Array[1, 5], Gen.Char[JsWhitespace], (names, ws) =>
            names.Concat(names.Select(name => ws + name + ws)).Select(name => (string?)name).ToArray());

    private static readonly Gen<string?[]> AnyFlagList = Gen.OneOf(FlagList, FlagListWithDuplicates);

    private static readonly Gen<string> StepId = Pick(StepIds);

    /// <summary>A metadata object: a flat object from a dictionary, or a nested one parsed from text.</summary>
    private static readonly Gen<JsonElement> MetadataObject = Gen.OneOf(
        Gen.Select(Pick(MetadataKeys), Gen.Int[-5, 5]).Array[0, 4].Select(pairs =>
        {
            var map = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (key, value) in pairs)
            {
                map[key] = value;
            }

            return JsonSerializer.SerializeToElement(map);
        }),
        Gen.Select(Pick(MetadataKeys), Gen.Int[0, 9], Gen.Bool).Select((key, value, flag) =>
            Parse($$"""{"{{key}}":{"n":{{value}},"list":[{{value}},"x"]},"flag":{{(flag ? "true" : "false")}},"none":null}""")));

    private static readonly Gen<JsonElement?> MaybeMetadata = Gen.Frequency(
        (3, MetadataObject.Select(element => (JsonElement?)element)),
        (1, Gen.Const(() => (JsonElement?)null)));

    private static readonly Gen<KeyValuePair<string, OnboardingStepState>> StepEntry =
        Gen.Select(StepId, Gen.Bool, MaybeMetadata, (id, completed, metadata) =>
            new KeyValuePair<string, OnboardingStepState>(id, new OnboardingStepState(completed, metadata)));

    /// <summary>An onboarding state of 0-6 entries (duplicate ids collapse, so some states are small).</summary>
    private static readonly Gen<OnboardingState> State = StepEntry.Array[0, 6].Select(OnboardingState.Create);

    // ---- feature flags -------------------------------------------------------------------------------

    [Fact]
    public void Normalize_AnyFlags_IsIdempotent()
    {
        AnyFlagList.Sample(
            flags =>
            {
                var once = SupportFeatureFlags.Normalize(flags);
                var twice = SupportFeatureFlags.Normalize(once);
                Assert.Equal(once.ToArray(), twice.ToArray());
            },
            iter: Iterations);
    }

    [Fact]
    public void Normalize_AnyFlags_GivesSortedTrimmedNonEmptyCommaFreeNames()
    {
        AnyFlagList.Sample(flags => AssertNormalized(SupportFeatureFlags.Normalize(flags)), iter: Iterations);
    }

    [Fact]
    public void Normalize_AnyFlags_KeepsExactlyTheJsTrimmedValidNames()
    {
        AnyFlagList.Sample(
            flags =>
            {
                var expected = flags
                    .Where(flag => flag is not null)
                    .Select(flag => JsTrim(flag!))
                    .Where(flag => flag.Length > 0 && !flag.Contains(',', StringComparison.Ordinal))
                    .ToHashSet(StringComparer.Ordinal);
                var actual = SupportFeatureFlags.Normalize(flags);
                Assert.Equal(expected.Count, actual.Length);
                Assert.All(actual, flag => Assert.Contains(flag, expected));
            },
            iter: Iterations);
    }

    [Fact]
    public void Normalize_CaseVariants_AreKeptApart()
    {
        Pick("beta", "alpha", "new-message").Sample(
            name =>
            {
                var upper = name.ToUpperInvariant();
                var actual = SupportFeatureFlags.Normalize([name, upper, " " + name + "\uFEFF"]);
                Assert.Equal(2, actual.Length);
                Assert.Contains(name, actual);
                Assert.Contains(upper, actual);
            },
            iter: 10);
    }

    [Fact]
    public void Normalize_NextLineAroundName_IsNotTrimmed()
    {
        // U+0085 is whitespace for .NET but not for JavaScript: the server keeps it, so must we.
        var actual = SupportFeatureFlags.Normalize(["\u0085beta\u0085", "\uFEFFbeta\u3000"]);
        Assert.Equal(["beta", "\u0085beta\u0085"], actual.ToArray());
    }

    [Fact]
    public void ParseStored_SerializeStoredOfAnyFlags_EqualsNormalize()
    {
        AnyFlagList.Sample(
            flags =>
            {
                var stored = SupportFeatureFlags.SerializeStored(flags);
                var parsed = SupportFeatureFlags.ParseStored(stored);
                Assert.Equal(SupportFeatureFlags.Normalize(flags).ToArray(), parsed.ToArray());
            },
            iter: Iterations);
    }

    [Fact]
    public void ApplyMutation_Add_IsNormalizedUnion()
    {
        Gen.Select(AnyFlagList, AnyFlagList).Sample(
            (current, flags) =>
            {
                var result = SupportFeatureFlags.ApplyMutation(current, FeatureFlagOperation.Add, flags);
                var expected = SupportFeatureFlags.Normalize(current)
                    .Union(SupportFeatureFlags.Normalize(flags), StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal)
                    .ToArray();
                Assert.Equal(expected, result.ToArray());
                AssertNormalized(result);
            },
            iter: Iterations);
    }

    [Fact]
    public void ApplyMutation_Remove_IsNormalizedDifference()
    {
        Gen.Select(AnyFlagList, AnyFlagList).Sample(
            (current, flags) =>
            {
                var result = SupportFeatureFlags.ApplyMutation(current, FeatureFlagOperation.Remove, flags);
                var normalizedCurrent = SupportFeatureFlags.Normalize(current);
                var removed = SupportFeatureFlags.Normalize(flags);
                Assert.All(removed, flag => Assert.DoesNotContain(flag, result));
                Assert.All(result, flag => Assert.Contains(flag, normalizedCurrent));
                // Nothing else is lost: every current flag that is not removed stays.
                Assert.All(
                    normalizedCurrent.Where(flag => !removed.Contains(flag)),
                    flag => Assert.Contains(flag, result));
                AssertNormalized(result);
            },
            iter: Iterations);
    }

    [Fact]
    public void ApplyMutation_RemoveOwnFlagsWithWhitespace_RemovesThem()
    {
        FlagListWithDuplicates.Sample(
            current =>
            {
                var padded = current.Select(flag => "\uFEFF" + flag + "\t").ToArray();
                var result = SupportFeatureFlags.ApplyMutation(current, FeatureFlagOperation.Remove, padded);
                Assert.Empty(result);
            },
            iter: Iterations);
    }

    [Fact]
    public void ApplyMutation_Set_IsNormalizedFlags()
    {
        Gen.Select(AnyFlagList, AnyFlagList).Sample(
            (current, flags) =>
            {
                var result = SupportFeatureFlags.ApplyMutation(current, FeatureFlagOperation.Set, flags);
                Assert.Equal(SupportFeatureFlags.Normalize(flags).ToArray(), result.ToArray());
                AssertNormalized(result);
            },
            iter: Iterations);
    }

    // ---- onboarding update rule ----------------------------------------------------------------------

    [Fact]
    public void Apply_Reset_GivesEmptyFromAnyState()
    {
        State.Sample(
            state =>
            {
                var before = state.ToString();
                var result = state.Apply(OnboardingUpdate.Reset());
                Assert.Equal(0, result.Count);
                Assert.Empty(result.Steps);
                Assert.Equal(OnboardingState.Empty, result);
                Assert.Equal(before, state.ToString());
            },
            iter: Iterations);
    }

    [Fact]
    public void Apply_SetMetadataObject_ReplacesMetadataAndKeepsCompleted()
    {
        Gen.Select(State, StepId, MetadataObject).Sample(
            (state, id, metadata) =>
            {
                var hadStep = state.TryGetStep(id, out var old);
                var result = state.Apply(OnboardingUpdate.SetMetadata(id, metadata));

                Assert.True(result.TryGetStep(id, out var step));
                Assert.Equal(hadStep && old!.Completed, step.Completed);
                Assert.NotNull(step.Metadata);
                Assert.True(
                    JsonElement.DeepEquals(metadata, step.Metadata.Value),
                    $"Expected {metadata.GetRawText()} but got {step.Metadata.Value.GetRawText()}");

                // Replaced, never merged: no key of the old metadata survives unless the new one has it.
                if (hadStep && old!.Metadata is { } oldMetadata)
                {
                    foreach (var property in oldMetadata.EnumerateObject())
                    {
                        Assert.Equal(
                            metadata.TryGetProperty(property.Name, out _),
                            step.Metadata.Value.TryGetProperty(property.Name, out _));
                    }
                }
            },
            iter: Iterations);
    }

    [Fact]
    public void Apply_SetMetadataOnStepWithOtherKeys_DropsOldKeys()
    {
        Gen.Select(Gen.Bool, Gen.Int[0, 100]).Sample(
            (completed, n) =>
            {
                var state = OnboardingState.Create(
                [
                    new("workspace", new OnboardingStepState(completed, Parse($$"""{"old":{{n}},"shared":1}"""))),
                ]);
                var result = state.Apply(OnboardingUpdate.SetMetadata("workspace", Parse("""{"shared":2,"new":true}""")));

                Assert.True(result.TryGetStep("workspace", out var step));
                Assert.Equal(completed, step.Completed);
                Assert.False(step.Metadata!.Value.TryGetProperty("old", out _));
                Assert.Equal(2, step.Metadata.Value.GetProperty("shared").GetInt32());
                Assert.True(step.Metadata.Value.GetProperty("new").GetBoolean());
            },
            iter: 20);
    }

    [Fact]
    public void Apply_SetMetadataNull_ClearsMetadataAndKeepsCompleted()
    {
        Gen.Select(State, StepId).Sample(
            (state, id) =>
            {
                var hadStep = state.TryGetStep(id, out var old);
                var result = state.Apply(OnboardingUpdate.SetMetadata(id, null));

                Assert.True(result.TryGetStep(id, out var step));
                Assert.Equal(hadStep && old!.Completed, step.Completed);
                Assert.Null(step.Metadata);
            },
            iter: Iterations);
    }

    [Fact]
    public void Apply_CompleteOrUncomplete_SetsCompletedAndKeepsMetadata()
    {
        Gen.Select(State, StepId, Gen.Bool).Sample(
            (state, id, complete) =>
            {
                var hadStep = state.TryGetStep(id, out var old);
                var update = complete ? OnboardingUpdate.Complete(id) : OnboardingUpdate.Uncomplete(id);
                var result = state.Apply(update);

                Assert.True(result.TryGetStep(id, out var step));
                Assert.Equal(complete, step.Completed);
                AssertSameMetadata(hadStep ? old!.Metadata : null, step.Metadata);
            },
            iter: Iterations);
    }

    [Fact]
    public void Apply_AnyStepUpdate_LeavesOtherStepsAndOriginalUntouched()
    {
        var update = Gen.Select(StepId, Gen.Int[0, 4], MaybeMetadata).Select((id, kind, metadata) => kind switch
        {
            0 => OnboardingUpdate.Complete(id),
            1 => OnboardingUpdate.Uncomplete(id),
            2 => OnboardingUpdate.SetMetadata(id, metadata),
            3 => OnboardingUpdate.ForStep(id, completed: true, hasMetadata: true, metadata),
            _ => OnboardingUpdate.ForStep(id, completed: false, hasMetadata: true, metadata),
        });

        Gen.Select(StepEntry.Array[0, 6], update).Sample(
            (entries, change) =>
            {
                var state = OnboardingState.Create(entries);
                var twin = OnboardingState.Create(entries);
                var before = state.ToString();
                var id = change.StepId!;
                var isNew = !state.Steps.ContainsKey(id);

                var result = state.Apply(change);

                Assert.Equal(state.Count + (isNew ? 1 : 0), result.Count);
                foreach (var (otherId, otherStep) in state.Steps)
                {
                    if (otherId != id)
                    {
                        Assert.True(result.TryGetStep(otherId, out var after));
                        Assert.Equal(otherStep, after);
                    }
                }

                // Immutability: the original instance still holds exactly what it held before.
                Assert.Equal(before, state.ToString());
                Assert.Equal(twin, state);
                Assert.Equal(isNew, !state.Steps.ContainsKey(id));
            },
            iter: Iterations);
    }

    [Fact]
    public void Apply_ForStepWithCompletedAndMetadata_SetsBoth()
    {
        Gen.Select(State, StepId, Gen.Bool, MaybeMetadata).Sample(
            (state, id, completed, metadata) =>
            {
                var result = state.Apply(OnboardingUpdate.ForStep(id, completed, hasMetadata: true, metadata));
                Assert.True(result.TryGetStep(id, out var step));
                Assert.Equal(completed, step.Completed);
                AssertSameMetadata(metadata, step.Metadata);
            },
            iter: Iterations);
    }

    // ---- equality ------------------------------------------------------------------------------------

    [Fact]
    public void Equals_SameStepsInAnotherOrder_IsEqual()
    {
        var distinctEntries = StepEntry.Array[0, 8].Select(entries => entries
            .DistinctBy(entry => entry.Key, StringComparer.Ordinal)
            .ToArray());

        Gen.Select(distinctEntries, Gen.Int).Sample(
            (entries, seed) =>
            {
                var shuffled = entries.ToArray();
                new Random(seed).Shuffle(shuffled);
                var a = OnboardingState.Create(entries);
                var b = OnboardingState.Create(shuffled);
                var reversed = OnboardingState.Create(Enumerable.Reverse(entries));

                Assert.Equal(a, b);
                Assert.Equal(a, reversed);
                Assert.Equal(a.GetHashCode(), b.GetHashCode());
                Assert.True(a.Equals((object)reversed));
            },
            iter: Iterations);
    }

    [Fact]
    public void Equals_OneStepDiffers_IsNotEqual()
    {
        var distinctEntries = StepEntry.Array[1, 8].Select(entries => entries
            .DistinctBy(entry => entry.Key, StringComparer.Ordinal)
            .ToArray());

        Gen.Select(distinctEntries, Gen.Int[0, 7]).Sample(
            (entries, at) =>
            {
                var index = at % entries.Length;
                var changed = entries.ToArray();
                var (id, step) = changed[index];
                changed[index] = new(id, new OnboardingStepState(!step.Completed, step.Metadata));

                Assert.NotEqual(OnboardingState.Create(entries), OnboardingState.Create(changed));
                Assert.NotEqual(
                    OnboardingState.Create(entries),
                    OnboardingState.Create(entries.Where((_, i) => i != index)));
            },
            iter: Iterations);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static void AssertNormalized(IReadOnlyList<string> flags)
    {
        for (var i = 0; i < flags.Count; i++)
        {
            var flag = flags[i];
            Assert.NotNull(flag);
            Assert.NotEqual(0, flag.Length);
            Assert.DoesNotContain(",", flag, StringComparison.Ordinal);
            Assert.False(JsWhitespace.Contains(flag[0], StringComparison.Ordinal), $"\"{flag}\" starts with JS whitespace");
            Assert.False(JsWhitespace.Contains(flag[^1], StringComparison.Ordinal), $"\"{flag}\" ends with JS whitespace");
            Assert.Equal(JsTrim(flag), flag);
            if (i > 0)
            {
                Assert.True(
                    string.CompareOrdinal(flags[i - 1], flag) < 0,
                    $"Not strictly ascending: \"{flags[i - 1]}\" then \"{flag}\"");
            }
        }
    }

    private static void AssertSameMetadata(JsonElement? expected, JsonElement? actual)
    {
        if (expected is { } e)
        {
            Assert.NotNull(actual);
            Assert.True(JsonElement.DeepEquals(e, actual.Value), $"Expected {e.GetRawText()} but got {actual.Value.GetRawText()}");
        }
        else
        {
            Assert.Null(actual);
        }
    }

    private static string JsTrim(string value) => value.Trim(JsWhitespace.ToCharArray());

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
