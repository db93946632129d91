using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cossistant.Client.Sessions;

/// <summary>
/// The visitors this process knows, by id. A sweep every quarter of the time to live marks states that reached it
/// stale (so a cached read never reads a clock), refreshes the stale visitors that sessions listen to without a
/// realtime socket, and forgets the stale ones nobody listens to.
/// </summary>
internal sealed class VisitorCache : IDisposable
{
    private readonly ConcurrentDictionary<string, VisitorEntry> _entries = new(StringComparer.Ordinal);
    private readonly CossistantRuntime _runtime;
    private readonly ITimer _sweeper;

    public VisitorCache(CossistantRuntime runtime)
    {
        _runtime = runtime;
        var period = TimeSpan.FromTicks(runtime.Options.StateTimeToLive.Ticks / 4);
        _sweeper = runtime.Time.CreateTimer(static cache => ((VisitorCache)cache!).Sweep(), this, period, period);
    }

    public int Count => _entries.Count;

    public VisitorEntry GetOrAdd(string visitorId) =>
        _entries.TryGetValue(visitorId, out var entry) ? entry : _entries.GetOrAdd(visitorId, static (id, runtime) => new VisitorEntry(runtime, id), _runtime);

    public bool TryGet(string visitorId, out VisitorEntry entry) => _entries.TryGetValue(visitorId, out entry!);

    /// <summary>Attaches a listener to the visitor's entry (a retired entry is replaced).</summary>
    public VisitorEntry Attach(string visitorId, IVisitorStateListener listener)
    {
        while (true)
        {
            var entry = GetOrAdd(visitorId);
            if (entry.TryAttach(listener))
            {
                return entry;
            }

            RemoveIfSame(visitorId, entry);
        }
    }

    /// <summary>The age of the oldest state a session shows (see <see cref="VisitorEntry.WatchedStateAge"/>), if any.</summary>
    public TimeSpan? OldestWatchedStateAge()
    {
        TimeSpan? oldest = null;
        foreach (var entry in _entries.Values)
        {
            if (entry.WatchedStateAge() is { } age && (oldest is null || age > oldest))
            {
                oldest = age;
            }
        }

        return oldest;
    }

    /// <summary>Removes the visitor's entry only if it is still <paramref name="entry"/> (an atomic compare-and-remove).</summary>
    private void RemoveIfSame(string visitorId, VisitorEntry entry) =>
        ((ICollection<KeyValuePair<string, VisitorEntry>>)_entries).Remove(new KeyValuePair<string, VisitorEntry>(visitorId, entry));

    /// <summary>
    /// After a flag change: the visitors it reaches (the visitor itself; every visitor known to be linked to the
    /// contact or to a contact of the organization) are marked stale, and those sessions listen to are refetched at
    /// once. Visitors whose link this process never saw are refreshed when their time to live runs out.
    /// </summary>
    public void RefreshAffected(FeatureFlagTarget target)
    {
        foreach (var entry in _entries.Values)
        {
            var affected = target.Type switch
            {
                FeatureFlagTargetType.Visitor => string.Equals(entry.VisitorId, target.Id, StringComparison.Ordinal),
                FeatureFlagTargetType.Contact => string.Equals(entry.ContactId, target.Id, StringComparison.Ordinal),
                _ => string.Equals(entry.OrganizationId, target.Id, StringComparison.Ordinal),
            };
            if (affected)
            {
                Refresh(entry);
            }
        }
    }

    /// <summary>Marks the visitor stale and, when sessions listen to it, refetches it now.</summary>
    public void Refresh(VisitorEntry entry)
    {
        entry.Invalidate();
        if (entry.HasListeners && !_runtime.IsDisposed)
        {
            _ = RefreshAsync(entry, collapse: false); // a request sent after the change: one in flight may predate it
        }
    }

    public void Dispose() => _sweeper.Dispose();

    private async Task RefreshAsync(VisitorEntry entry, bool collapse)
    {
        try
        {
            await entry.LoadAsync(collapse).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.RefreshFailed(_runtime.Logger, exception);
        }
        catch (OperationCanceledException)
        {
            // The runtime closed.
        }
    }

    private void Sweep()
    {
        foreach (var (visitorId, entry) in _entries)
        {
            var stale = entry.MarkStaleIfOld();
            if (entry.HasListeners)
            {
                if (stale && !entry.HasLiveSocket && !_runtime.IsDisposed)
                {
                    _ = RefreshAsync(entry, collapse: true);
                }
            }
            else if (stale && entry.TryRetire())
            {
                RemoveIfSame(visitorId, entry);
            }
        }
    }
}
