namespace Cossistant.Client.State;

internal sealed partial class SupportStateStore
{
    /// <summary>
    /// Shows the visitor's last-known state from an earlier run, unless the server (an answer or an event) already
    /// gave one: it becomes the base below every ticket, so anything the server says replaces it. The status becomes
    /// <see cref="SupportStateStatus.Cached"/> unless a fetch is running (then it stays <see cref="SupportStateStatus.Loading"/>).
    /// </summary>
    /// <returns><see langword="true"/> when it is shown.</returns>
    public bool TryApplyLastKnown(SupportState state)
    {
        lock (_gate)
        {
            if (_hasServerState || _baseTicket != 0)
            {
                return false;
            }

            _base = state;
            _fromCache = true;
            if (_status == SupportStateStatus.Idle)
            {
                _status = SupportStateStatus.Cached;
            }

            Publish();
        }

        Drain();
        return true;
    }
}
