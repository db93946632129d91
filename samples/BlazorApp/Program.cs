// Cossistant in a Blazor Web App, in both interactive render modes, against the in-process emulator:
//   dotnet run --project samples/BlazorApp            # prints the URL; open /server and /wasm
// Server mode: one CossistantClient per circuit from the factory AddCossistant registers (private key, no socket);
// a flag flipped by this server re-renders the circuits showing that visitor at once. WebAssembly mode: the tab's
// own client with the website's public key and a socket. Both keep the visitor id in the browser's localStorage.
using BlazorApp;
using BlazorApp.Client.Demo;
using BlazorApp.Components;
using Cossistant.Client;
using Cossistant.Client.Testing;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseStaticWebAssets(); // serve the WebAssembly app and blazor.web.js from the build output in every environment
if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null)
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
}

await using var emulator = await CossistantEmulator.StartAsync();
var website = emulator.CreateWebsite("Blazor sample", "localhost", ["localhost", "127.0.0.1"]);
var server = emulator.CreateClientOptions(website, privateKey: true);

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    .AddInteractiveWebAssemblyComponents();
builder.Services.AddCossistant(options =>
{
    options.ApiUrl = server.ApiUrl;
    options.RealtimeUrl = server.RealtimeUrl;
    options.PrivateApiKey = server.PrivateApiKey;
    options.Support = DemoSupport.Config;
}).AddBlazor();
builder.Services.AddScoped<IFlagAdmin, ServerFlagAdmin>();

var app = builder.Build();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(DemoSupport).Assembly);

// What the WebAssembly client needs to reach the API: never the private key.
app.MapGet("/cossistant-config.json", () => new BrowserConfig(emulator.ApiUrl.ToString(), emulator.RealtimeUrl.ToString(), website.PublicKey));

// The server-side flip the WebAssembly page asks for, and a read of what the server holds.
app.MapPost("/api/flags/{visitorId}/{flag}/toggle", async (string visitorId, string flag, IFlagAdmin admin) => await admin.ToggleAsync(visitorId, flag));
app.MapGet("/api/visitors/{visitorId}/state", async (string visitorId, ICossistantServerClient cossistant) =>
    (await cossistant.GetVisitorSupportStateAsync(visitorId)).ToString());

await app.StartAsync();
Console.WriteLine($"Listening on {app.Urls.First()}  (emulator at {emulator.ApiUrl})");
Console.WriteLine("Open /server and /wasm. Ctrl+C stops.");
await app.WaitForShutdownAsync();
return 0;
