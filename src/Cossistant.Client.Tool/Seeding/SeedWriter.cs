using Cossistant.Client.Testing;

namespace Cossistant.Client.Tool.Seeding;

/// <summary>Writes one website's seeded flags, visitors and onboarding through the emulator's API with the SDK.</summary>
internal sealed class SeedWriter
{
    private readonly CossistantEmulator _emulator;
    private readonly EmulatedWebsite _website;
    private readonly CossistantSessionFactory _factory;
    private readonly CancellationToken _cancellationToken;

    /// <summary>Creates the writer.</summary>
    /// <param name="emulator">The emulator.</param>
    /// <param name="website">The website seeded.</param>
    /// <param name="factory">The SDK over the website's private key.</param>
    /// <param name="cancellationToken">Cancels seeding.</param>
    public SeedWriter(CossistantEmulator emulator, EmulatedWebsite website, CossistantSessionFactory factory, CancellationToken cancellationToken)
    {
        _emulator = emulator;
        _website = website;
        _factory = factory;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Sets a target's own flags (nothing is sent for none).</summary>
    /// <param name="target">The target.</param>
    /// <param name="names">The flag names, checked with the SDK's rule for declared flags.</param>
    /// <param name="at">Where in the seed, for messages.</param>
    /// <returns>A task that completes when written.</returns>
    public async Task SetFlagsAsync(FeatureFlagTarget target, IReadOnlyList<string> names, string at)
    {
        if (names.Count == 0)
        {
            return;
        }

        var flags = new List<FeatureFlag>();
        foreach (var name in names)
        {
            try
            {
                flags.Add(new FeatureFlag(name));
            }
            catch (ArgumentException exception)
            {
                throw ToolInputException.From($"{at}: flag name \"{name}\"", exception);
            }
        }

        await _factory.ServerClient.MutateSupportFeatureFlagsAsync(target, FeatureFlagOperation.Set, flags, _cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a visitor: with a fixed id through <c>GET /websites</c> (as a browser's first visit would), else with the emulator.</summary>
    /// <param name="id">The fixed id (a ULID), or null for a new one.</param>
    /// <param name="at">Where in the seed, for messages.</param>
    /// <returns>The visitor id.</returns>
    public async Task<string> CreateVisitorAsync(string? id, string at)
    {
        if (id is null)
        {
            return _emulator.CreateVisitor(_website.Id);
        }

        try
        {
            await _factory.CreateSession(id).DisposeAsync().ConfigureAwait(false); // the SDK's visitor-id rule; sends nothing
        }
        catch (ArgumentException exception)
        {
            throw ToolInputException.From($"{at}: id", exception);
        }

        var options = _emulator.CreateClientOptions(_website);
        options.Origin = SeededWebsite.OriginFor(_website)
            ?? throw new ToolInputException($"{at}: a fixed visitor id needs a website with at least one allowed domain.");
        options.VisitorIdStore = new InMemoryVisitorIdStore(id);
        options.Retry.MaxRetryAttempts = 0;
        var client = new CossistantClient(options);
        await using (client.ConfigureAwait(false))
        {
            await client.FetchWebsiteAsync(_cancellationToken).ConfigureAwait(false);
            return client.VisitorId ?? id;
        }
    }

    /// <summary>Writes onboarding through a visitor (to its contact once linked, as the API does).</summary>
    /// <param name="visitorId">The visitor.</param>
    /// <param name="onboarding">The steps, or null for nothing.</param>
    /// <param name="reset">Clear what is stored first (a contact may hold a copy of a visitor's progress).</param>
    /// <param name="at">Where in the seed, for messages.</param>
    /// <returns>A task that completes when written.</returns>
    public async Task WriteOnboardingAsync(string visitorId, SeedOnboarding? onboarding, bool reset, string at)
    {
        if (onboarding is null)
        {
            return;
        }

        var updates = new List<OnboardingUpdate>();
        if (reset)
        {
            updates.Add(OnboardingUpdate.Reset());
        }

        foreach (var (stepId, step) in onboarding.Steps)
        {
            try
            {
                updates.Add(OnboardingUpdate.ForStep(stepId, step.Completed, hasMetadata: step.Metadata is not null, step.Metadata));
            }
            catch (ArgumentException exception)
            {
                throw ToolInputException.From($"{at}: onboarding step \"{stepId}\"", exception);
            }
        }

        foreach (var update in updates)
        {
            await _factory.ServerClient.UpdateVisitorOnboardingAsync(visitorId, update, _cancellationToken).ConfigureAwait(false);
        }
    }
}
