using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Cossistant.Client.IntegrationTests;

public sealed class Smoke
{
    [Fact]
    public async Task WireMock_Loopback_Answers()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/v1/websites").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"w"}"""));
        using var http = new HttpClient();
        var body = await http.GetStringAsync(server.Url + "/v1/websites", TestContext.Current.CancellationToken);
        Assert.Equal("""{"id":"w"}""", body);
    }
}
