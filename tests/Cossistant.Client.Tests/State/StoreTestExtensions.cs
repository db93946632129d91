using Cossistant.Client.State;

namespace Cossistant.Client.Tests.State;

internal static class StoreTestExtensions
{
    /// <summary>A store with a ticket counter of its own, announcing to <paramref name="onChanged"/>.</summary>
    public static SupportStateStore Create(Action<SupportStateChangedEventArgs> onChanged) =>
        new(SupportConfig.Empty, new Cossistant.Client.Threading.TicketSource(), onChanged, exception => throw new InvalidOperationException("an observer threw", exception));

    /// <summary>Begins an operation and sends it at once (what the client does when no other request is on the wire).</summary>
    public static SupportStateStore.PendingOperation Send(this SupportStateStore store, OnboardingUpdate update)
    {
        var operation = store.Begin(update);
        store.MarkSent(operation);
        return operation;
    }
}
