using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Cossistant.Client.State;

/// <summary>An immutable step map that keeps the order in which steps first appeared (like a JavaScript object).</summary>
internal sealed class OnboardingStepMap : IReadOnlyDictionary<string, OnboardingStepState>
{
    private readonly KeyValuePair<string, OnboardingStepState>[] _entries;
    private readonly Dictionary<string, int> _index;

    public OnboardingStepMap(KeyValuePair<string, OnboardingStepState>[] entries)
    {
        _entries = entries;
        _index = new Dictionary<string, int>(entries.Length, StringComparer.Ordinal);
        for (var i = 0; i < entries.Length; i++)
        {
            _index[entries[i].Key] = i;
        }
    }

    public int Count => _entries.Length;

    public IEnumerable<string> Keys => _entries.Select(entry => entry.Key);

    public IEnumerable<OnboardingStepState> Values => _entries.Select(entry => entry.Value);

    public OnboardingStepState this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No onboarding step \"{key}\".");

    public bool ContainsKey(string key) => _index.ContainsKey(key);

#if NETSTANDARD2_0
#pragma warning disable CS8767 // netstandard2.0's IReadOnlyDictionary predates [MaybeNullWhen]; the contract is the same.
#endif
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out OnboardingStepState value)
#if NETSTANDARD2_0
#pragma warning restore CS8767
#endif
    {
        if (_index.TryGetValue(key, out var at))
        {
            value = _entries[at].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>A new map with <paramref name="id"/> set: replaced in place when present, else appended.</summary>
    public OnboardingStepMap With(string id, OnboardingStepState state)
    {
        if (_index.TryGetValue(id, out var at))
        {
            var copy = (KeyValuePair<string, OnboardingStepState>[])_entries.Clone();
            copy[at] = new(id, state);
            return new OnboardingStepMap(copy);
        }

        return new OnboardingStepMap([.. _entries, new(id, state)]);
    }

    public IEnumerator<KeyValuePair<string, OnboardingStepState>> GetEnumerator() =>
        ((IEnumerable<KeyValuePair<string, OnboardingStepState>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
