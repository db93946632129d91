using System.Net.Http.Json;
using BlazorApp.Client.Demo;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

// The WebAssembly half of the sample: the tab's CossistantClient talks to the API itself with the website's public
// key (the browser sends the Origin; the socket carries its credentials in the query), and keeps the visitor id in
// localStorage. Where the API is comes from the host (it runs the emulator on a free port).
var builder = WebAssemblyHostBuilder.CreateDefault(args);
var host = new Uri(builder.HostEnvironment.BaseAddress);
using (var http = new HttpClient { BaseAddress = host })
{
    var config = await http.GetFromJsonAsync("cossistant-config.json", DemoJson.Default.BrowserConfig)
        ?? throw new InvalidOperationException("The host served no Cossistant configuration.");
    builder.Services.AddCossistant(options =>
    {
        options.ApiUrl = new Uri(config.ApiUrl);
        options.RealtimeUrl = new Uri(config.RealtimeUrl);
        options.PublicKey = config.PublicKey;
        options.Origin = host.GetLeftPart(UriPartial.Authority); // what the browser sends anyway
        options.Support = DemoSupport.Config;
    }).AddBlazor();
}

builder.Services.AddScoped(_ => new HttpClient { BaseAddress = host });
builder.Services.AddScoped<IFlagAdmin, HttpFlagAdmin>();
await builder.Build().RunAsync();
