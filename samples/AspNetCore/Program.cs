// ASP.NET Core with AddCossistant: a server-side client with the private key that reads any visitor's flags
// and turns flags on and off. With no "Cossistant" configuration it starts the in-process emulator, so it
// runs on a fresh machine. Configure a real API with user secrets or environment variables, e.g.
//   Cossistant__PrivateApiKey=sk_...  Cossistant__ApiUrl=https://api.cossistant.com/v1
//   dotnet run --project samples/AspNetCore                 # serves until Ctrl+C
//   dotnet run --project samples/AspNetCore -- --self-test  # calls its own endpoints once and exits
using Cossistant.Client;
using Cossistant.Client.Testing;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
CossistantEmulator? emulator = null;
var section = builder.Configuration.GetSection("Cossistant");
if (string.IsNullOrEmpty(section["PrivateApiKey"]))
{
    emulator = await CossistantEmulator.StartAsync();
    var local = emulator.CreateClientOptions(privateKey: true);
    builder.Services.AddCossistant(options =>
    {
        options.ApiUrl = local.ApiUrl;
        options.RealtimeUrl = local.RealtimeUrl;
        options.PrivateApiKey = local.PrivateApiKey;
    });
}
else
{
    builder.Services.AddCossistant(section);
}

var app = builder.Build();

// Reads a visitor's flags server-side (e.g. to decide what an API returns for that visitor).
app.MapGet("/visitors/{visitorId}/flags", async (string visitorId, ICossistantServerClient cossistant, CancellationToken cancellationToken) =>
{
    var state = await cossistant.GetVisitorSupportStateAsync(visitorId, cancellationToken);
    return Results.Ok(state.FeatureFlags);
});

// Turns a flag on or off for a visitor, contact or contact organization: the visitors' apps hear it in realtime.
app.MapPut("/{targetType}/{targetId}/flags/{flag}", (string targetType, string targetId, string flag, ICossistantServerClient cossistant, CancellationToken cancellationToken) =>
    MutateAsync(cossistant, targetType, targetId, FeatureFlagOperation.Add, flag, cancellationToken));
app.MapDelete("/{targetType}/{targetId}/flags/{flag}", (string targetType, string targetId, string flag, ICossistantServerClient cossistant, CancellationToken cancellationToken) =>
    MutateAsync(cossistant, targetType, targetId, FeatureFlagOperation.Remove, flag, cancellationToken));

await app.StartAsync();
var url = app.Urls.First();
Console.WriteLine($"Listening on {url}");
var exitCode = 0;
if (args.Contains("--self-test"))
{
    exitCode = await SelfTest.RunAsync(url, emulator);
}
else
{
    await app.WaitForShutdownAsync();
}

await app.StopAsync();
if (emulator is not null)
{
    await emulator.DisposeAsync();
}

return exitCode;

static async Task<IResult> MutateAsync(
    ICossistantServerClient cossistant, string targetType, string targetId, FeatureFlagOperation operation, string flag, CancellationToken cancellationToken)
{
    FeatureFlagTarget target;
    try
    {
        target = targetType switch
        {
            "visitors" => FeatureFlagTarget.Visitor(targetId),
            "contacts" => FeatureFlagTarget.Contact(targetId),
            "contact-organizations" => FeatureFlagTarget.ContactOrganization(targetId),
            _ => throw new ArgumentException($"Unknown target type \"{targetType}\": use visitors, contacts or contact-organizations."),
        };
        var result = await cossistant.MutateSupportFeatureFlagsAsync(target, operation, [flag], cancellationToken);
        return Results.Ok(result.Flags);
    }
    catch (ArgumentException exception)
    {
        return Results.BadRequest(exception.Message);
    }
    catch (CossistantApiException exception) when (exception.StatusCode == 404)
    {
        return Results.NotFound(exception.ServerMessage);
    }
}
