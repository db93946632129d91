using Cossistant.Client.Testing.Internal;

namespace Cossistant.Client.Testing;

/// <summary>Seeding a visitor in one call.</summary>
public sealed partial class CossistantEmulator
{
    private readonly object _publishingGate = new();
    private Task _publishing = Task.CompletedTask;

    /// <summary>
    /// Creates a visitor (or takes the one named with <see cref="VisitorSeed.VisitorId"/>) and sets its own feature
    /// flags and its onboarding steps in one call, with the API's rules: <c>GET /support/state</c> then answers exactly
    /// what was seeded (plus the flags of its contact and organization, if it has them). When the visitor existed, its
    /// open sockets get <c>supportStateUpdated</c> with the new state, as after a change through the API (sent in the
    /// background, in order with every other event; wait for it on the client, e.g. with
    /// <see cref="SupportStateWaitExtensions.WaitForFeatureFlagAsync(CossistantClient, FeatureFlag, bool, TimeSpan?, CancellationToken)"/>).
    /// </summary>
    /// <param name="seed">Names the visitor, flags and steps.</param>
    /// <param name="websiteId">The website of a new visitor; default <see cref="DefaultWebsite"/>. An existing visitor must belong to it.</param>
    /// <returns>The visitor id.</returns>
    /// <exception cref="ArgumentException">A flag name or visitor id is invalid, the website is unknown, or the visitor belongs to another website. Nothing is changed.</exception>
    public string SeedVisitor(Action<VisitorSeed> seed, string? websiteId = null)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var builder = new VisitorSeed();
        seed(builder);
        var website = websiteId is null ? null : _data.RequireWebsite(websiteId);
        var (visitor, existed) = _data.Seed(website, Website(null), builder.ChosenVisitorId, builder.Flags, builder.Onboarding);
        if (existed)
        {
            PublishInBackground(visitor.WebsiteId, visitor.Id);
        }

        return visitor.Id;
    }

    /// <summary>Sends a visitor its state after the events queued before, without holding up the caller.</summary>
    private void PublishInBackground(string websiteId, string visitorId)
    {
        var website = _data.RequireWebsite(websiteId);
        lock (_publishingGate)
        {
            _publishing = _publishing.ContinueWith(
                _ => Rest.PublishAsync(website, visitorId), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>Waits for the background events (each one ends quietly once the sockets are gone).</summary>
    private Task PublishedAsync()
    {
        lock (_publishingGate)
        {
            return _publishing;
        }
    }
}
