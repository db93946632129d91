using Cossistant.Client.IntegrationTests.Infrastructure;
using Cossistant.Client.Testing;
using Cossistant.Client.Visitors;
using Microsoft.Extensions.Logging;

namespace Cossistant.Client.IntegrationTests.Reliability;

/// <summary>
/// A visitor id store that fails (a browser that blocks localStorage, a read-only or locked file) costs the app the
/// stored visitor, never the website: the client carries on as a first visit and logs why.
/// </summary>
public sealed class VisitorIdStoreFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FetchWebsite_StoreCannotBeRead_LoadsAsAFirstVisitAndLogsAWarning()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var store = new FailingStore(failReads: true, failWrites: false);
        var options = emulator.CreateClientOptions();
        options.VisitorIdStore = store;
        options.LoggerFactory = loggerFactory;
        await using var client = new CossistantClient(options);

        var website = await client.FetchWebsiteAsync(Ct);

        Assert.NotNull(website.Visitor?.Id);
        Assert.Equal(website.Visitor!.Id, client.VisitorId);
        Assert.Equal(website.Visitor.Id, store.Written); // the new id is still offered to the store
        var warning = Assert.Single(logs.AtLeast(LogLevel.Warning));
        Assert.Contains("Could not read the stored visitor id", warning.Message, StringComparison.Ordinal);
        await client.FetchSupportStateAsync(cancellationToken: Ct);
        Assert.Equal(SupportStateStatus.Success, client.Status);
    }

    [Fact]
    public async Task FetchWebsite_StoreCannotBeReadOrWritten_StillLoads()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = emulator.CreateClientOptions();
        options.VisitorIdStore = new FailingStore(failReads: true, failWrites: true);
        await using var client = new CossistantClient(options);

        var website = await client.FetchWebsiteAsync(Ct);

        Assert.Equal(website.Visitor?.Id, client.VisitorId);
    }

    [Fact]
    public async Task FetchWebsite_CancelledWhileReadingTheStore_IsCancelledNotSwallowed()
    {
        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);
        var options = emulator.CreateClientOptions();
        options.VisitorIdStore = new FailingStore(failReads: false, failWrites: false, cancelReads: true);
        await using var client = new CossistantClient(options);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.FetchWebsiteAsync(Ct));
        Assert.Empty(emulator.Requests);
    }

    private sealed class FailingStore(bool failReads, bool failWrites, bool cancelReads = false) : IVisitorIdStore
    {
        public string? Written { get; private set; }

        public ValueTask<string?> GetVisitorIdAsync(CancellationToken cancellationToken)
        {
            if (cancelReads)
            {
                throw new OperationCanceledException("the read was cancelled");
            }

            return failReads ? throw new IOException("storage is blocked") : new ValueTask<string?>((string?)null);
        }

        public ValueTask SetVisitorIdAsync(string visitorId, CancellationToken cancellationToken)
        {
            if (failWrites)
            {
                throw new IOException("storage is blocked");
            }

            Written = visitorId;
            return default;
        }
    }
}
