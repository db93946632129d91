namespace Cossistant.Client.Threading;

/// <summary>
/// One counter for every store of a runtime: a request takes a ticket when it is sent, an event when it arrives. A
/// state shared between the sessions of one visitor keeps its ticket, so any session can tell it older or newer than
/// what it holds.
/// </summary>
internal sealed class TicketSource
{
    private long _last;

    public long Next() => Interlocked.Increment(ref _last);
}
