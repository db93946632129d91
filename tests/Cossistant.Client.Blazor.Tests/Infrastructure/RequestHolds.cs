namespace Cossistant.Client.Blazor.Tests.Infrastructure;

/// <summary>The holds a test armed; each one catches the next matching request, once.</summary>
internal sealed class RequestHolds
{
    private readonly List<RequestHold> _armed = [];
    private readonly object _gate = new();

    /// <summary>Holds the next request with this method whose path ends with <paramref name="path"/>.</summary>
    public RequestHold Next(HttpMethod method, string path)
    {
        var hold = new RequestHold(method, path);
        lock (_gate)
        {
            _armed.Add(hold);
        }

        return hold;
    }

    internal RequestHold? Take(HttpRequestMessage request)
    {
        lock (_gate)
        {
            var index = _armed.FindIndex(hold => hold.Matches(request));
            if (index < 0)
            {
                return null;
            }

            var hold = _armed[index];
            _armed.RemoveAt(index);
            return hold;
        }
    }
}
