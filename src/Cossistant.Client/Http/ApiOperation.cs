namespace Cossistant.Client.Http;

/// <summary>
/// One REST operation of the API: its name in traces and metrics, its method and its route template (no ids ever
/// appear in a route: visitors travel in a header). The five the client calls are the only instances.
/// </summary>
internal sealed class ApiOperation
{
    public static readonly ApiOperation FetchWebsite = new("FetchWebsite", HttpMethod.Get, "/websites");
    public static readonly ApiOperation FetchSupportState = new("FetchSupportState", HttpMethod.Get, "/support/state");
    public static readonly ApiOperation UpdateOnboarding = new("UpdateOnboarding", new HttpMethod("PATCH"), "/support/onboarding");
    public static readonly ApiOperation MutateFeatureFlags = new("MutateFeatureFlags", new HttpMethod("PATCH"), "/support/feature-flags");
    public static readonly ApiOperation Identify = new("Identify", HttpMethod.Post, "/contacts/identify");

    private ApiOperation(string name, HttpMethod method, string route)
    {
        Name = name;
        Method = method;
        Route = route;
        SpanName = "Cossistant " + name;
    }

    /// <summary>The operation's name (the SDK method it serves), e.g. <c>FetchSupportState</c>.</summary>
    public string Name { get; }

    public HttpMethod Method { get; }

    /// <summary>The route under the API base, e.g. <c>/support/state</c>.</summary>
    public string Route { get; }

    public string SpanName { get; }

    public override string ToString() => $"{Method.Method} {Route}";
}
