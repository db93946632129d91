// ASP.NET Core with AddCossistant, as a server app with many visitors uses it:
// - the stateless server client (private key) reads and changes any visitor, contact or organization;
// - a scoped CossistantSession per request belongs to the visitor the request names (X-Visitor-Id header or the
//   cossistant_visitor_id cookie); sessions read through one per-visitor cache and open no socket.
// With no "Cossistant" configuration it starts the in-process emulator, so it runs on a fresh machine. Configure a
// real API with user secrets or environment variables, e.g.
//   Cossistant__PrivateApiKey=sk_...  Cossistant__ApiUrl=https://api.cossistant.com/v1
//   dotnet run --project samples/AspNetCore                 # serves until Ctrl+C
//   dotnet run --project samples/AspNetCore -- --self-test  # calls its own endpoints once and exits
using AspNetCoreSample;
using Cossistant.Client;
using Cossistant.Client.AspNetCore;
using Cossistant.Client.Testing;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
CossistantEmulator? emulator = null;
var section = builder.Configuration.GetSection("Cossistant");
CossistantBuilder cossistant;
if (string.IsNullOrEmpty(section["PrivateApiKey"]))
{
    emulator = await CossistantEmulator.StartAsync();
    var local = emulator.CreateClientOptions(privateKey: true);
    cossistant = builder.Services.AddCossistant(options =>
    {
        options.ApiUrl = local.ApiUrl;
        options.RealtimeUrl = local.RealtimeUrl;
        options.PrivateApiKey = local.PrivateApiKey;
        options.Support = Support.Config;
    });
}
else
{
    cossistant = builder.Services.AddCossistant(section, options => options.Support = Support.Config);
}

cossistant.WithVisitorIdFromRequest(); // the scoped session's visitor: X-Visitor-Id, else the cossistant_visitor_id cookie

var app = builder.Build();

// The visitor of this request: its flags and onboarding, from the shared cache when fresh. A request that names no
// visitor is answered before any endpoint asks for its session.
var requestVisitor = new CossistantRequestVisitor();
app.UseWhen(context => context.Request.Path.StartsWithSegments("/me") && requestVisitor.Read(context.Request) is null, branch =>
    branch.Run(context => Results.BadRequest("Name the visitor: send its id in the X-Visitor-Id header (or the cossistant_visitor_id cookie).")
        .ExecuteAsync(context)));
var me = app.MapGroup("/me");
me.MapGet("/support", async (CossistantSession session, CancellationToken cancellationToken) =>
{
    await session.FetchSupportStateAsync(cancellationToken: cancellationToken);
    return Results.Ok(new VisitorSupport(
        session.SupportState.FeatureFlags, session.IsFeatureFlagEnabled(Support.NewMessage), session.GetOnboarding().CurrentStepId));
});
me.MapPost("/onboarding/{stepId}/complete", async (string stepId, CossistantSession session, CancellationToken cancellationToken) =>
{
    await session.CompleteOnboardingStepAsync(stepId, cancellationToken);
    return Results.NoContent();
});

// Any visitor, server-side: a cached read (one request per visitor per time to live, however many readers).
app.MapGet("/visitors/{visitorId}/flags", async (string visitorId, ICossistantServerClient server, CancellationToken cancellationToken) =>
{
    try
    {
        return Results.Ok((await server.GetCachedVisitorSupportStateAsync(visitorId, cancellationToken)).FeatureFlags);
    }
    catch (ArgumentException exception)
    {
        return Results.BadRequest(exception.Message);
    }
});

// Turns a flag on or off for a visitor, contact or contact organization: cached visitors it reaches are refreshed at
// once, and the visitors' apps hear it in realtime.
app.MapPut("/{targetType}/{targetId}/flags/{flag}", (string targetType, string targetId, string flag, ICossistantServerClient server, CancellationToken cancellationToken) =>
    MutateAsync(server, targetType, targetId, FeatureFlagOperation.Add, flag, cancellationToken));
app.MapDelete("/{targetType}/{targetId}/flags/{flag}", (string targetType, string targetId, string flag, ICossistantServerClient server, CancellationToken cancellationToken) =>
    MutateAsync(server, targetType, targetId, FeatureFlagOperation.Remove, flag, cancellationToken));

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
    ICossistantServerClient server, string targetType, string targetId, FeatureFlagOperation operation, string flag, CancellationToken cancellationToken)
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
        var result = await server.MutateSupportFeatureFlagsAsync(target, operation, [flag], cancellationToken);
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
