using System.Diagnostics;
using Cossistant.Client.Testing;
using static Cossistant.Client.IntegrationTests.TestingKit.KitSupport;

namespace Cossistant.Client.IntegrationTests.TestingKit;

/// <summary>
/// An emulator an app starts in its own Program must stay out of sight of the tools that capture the host that Program
/// builds (WebApplicationFactory, <c>dotnet ef</c>): they listen to the "Microsoft.Extensions.Hosting" diagnostic
/// events of the entry point's execution context only (an AsyncLocal), and take the first host built there.
/// </summary>
public sealed class EmulatorHostingTests
{
    [Fact]
    public async Task StartAsync_InAnEntryPointsContext_ItsHostIsNotReportedToThatContextsHostingListener()
    {
        using var listener = new EntryPointHostingListener();
        listener.EnterEntryPoint();

        await using var emulator = await CossistantEmulator.StartAsync(cancellationToken: Ct);

        Assert.Empty(listener.Events);
        var answer = await GetStateAsync(emulator, emulator.CreateVisitor());
        Assert.Equal(200, answer.Status);
    }

    [Fact]
    public async Task StartAsync_FlowAlreadySuppressed_Starts()
    {
        Task<CossistantEmulator> starting;
        using (ExecutionContext.SuppressFlow())
        {
            starting = CossistantEmulator.StartAsync(cancellationToken: Ct);
        }

        await using var emulator = await starting.WaitAsync(Bound, Ct);
        Assert.Equal(200, (await GetStateAsync(emulator, emulator.CreateVisitor())).Status);
    }

    [Fact]
    public void EntryPointHostingListener_AHostBuiltInTheEntryPointsContext_IsReported()
    {
        // The positive control: the listener does see a host built in that context.
        using var listener = new EntryPointHostingListener();
        listener.EnterEntryPoint();

        using var host = new Microsoft.Extensions.Hosting.HostBuilder().Build();

        Assert.Equal(["HostBuilding", "HostBuilt"], listener.Events);
    }

    /// <summary>Listens the way HostFactoryResolver does: only to events raised in the context it marked.</summary>
    private sealed class EntryPointHostingListener : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private static readonly AsyncLocal<EntryPointHostingListener?> Current = new();
        private readonly IDisposable _all;
        private readonly List<IDisposable> _hosting = [];
        private readonly List<string> _events = [];

        public EntryPointHostingListener() => _all = DiagnosticListener.AllListeners.Subscribe(this);

        public IReadOnlyList<string> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public void EnterEntryPoint() => Current.Value = this;

        public void OnNext(DiagnosticListener value)
        {
            if (Current.Value == this && value.Name == "Microsoft.Extensions.Hosting")
            {
                lock (_hosting)
                {
                    _hosting.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (Current.Value == this && value.Key is "HostBuilding" or "HostBuilt")
            {
                lock (_events)
                {
                    _events.Add(value.Key);
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _all.Dispose();
            lock (_hosting)
            {
                _hosting.ForEach(subscription => subscription.Dispose());
            }
        }
    }
}
