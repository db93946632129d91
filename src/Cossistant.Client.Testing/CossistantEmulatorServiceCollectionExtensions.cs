using Cossistant.Client;
using Cossistant.Client.Testing;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Points an app's <c>AddCossistant</c> registration at a <see cref="CossistantEmulator"/>, e.g. in a <c>WebApplicationFactory</c>.</summary>
public static class CossistantEmulatorServiceCollectionExtensions
{
    /// <summary>
    /// Makes a Cossistant registration talk to the emulator whatever the app configured: after every other
    /// configuration (a post-configure of its options) it sets <c>ApiUrl</c>, <c>RealtimeUrl</c> and <c>Origin</c>
    /// (<see cref="CossistantEmulator.DefaultOrigin"/>) to the emulator's, and replaces the keys the app set with the
    /// website's: a public key with its public key, a private key with its private key, so the app authenticates as
    /// it would in production. When the app set neither (its keys are secrets the test does not have) both are set
    /// (the private key wins, as the client's rules say). The options are still validated on start. Call it after the
    /// app's registrations, e.g. in <c>ConfigureTestServices</c>.
    /// </summary>
    /// <example>
    /// <code>
    /// var factory = new WebApplicationFactory&lt;Program&gt;().WithWebHostBuilder(builder =>
    ///     builder.ConfigureTestServices(services => services.UseCossistantEmulator(emulator)));
    /// </code>
    /// </example>
    /// <param name="services">The services.</param>
    /// <param name="emulator">The running emulator.</param>
    /// <param name="name">The registration: <see langword="null"/> (default) for <c>AddCossistant(...)</c>, else the name of <c>AddCossistant("name", ...)</c>.</param>
    /// <param name="website">The website whose keys to use; default <see cref="CossistantEmulator.DefaultWebsite"/>. A public key needs <c>localhost</c> on its allowlist (the default).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection UseCossistantEmulator(
        this IServiceCollection services, CossistantEmulator emulator, string? name = null, EmulatedWebsite? website = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(emulator);
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }

        services.PostConfigure<CossistantClientOptions>(name ?? Options.Options.DefaultName, options => PointAt(emulator, website ?? emulator.DefaultWebsite, options));
        return services;
    }

    private static void PointAt(CossistantEmulator emulator, EmulatedWebsite website, CossistantClientOptions options)
    {
        var hadPublic = !string.IsNullOrEmpty(options.PublicKey);
        var hadPrivate = !string.IsNullOrEmpty(options.PrivateApiKey);
        var neither = !hadPublic && !hadPrivate;
        options.ApiUrl = emulator.ApiUrl;
        options.RealtimeUrl = emulator.RealtimeUrl;
        options.PublicKey = hadPublic || neither ? website.PublicKey : null;
        options.PrivateApiKey = hadPrivate || neither ? website.PrivateApiKey : null;
        options.Origin = CossistantEmulator.DefaultOrigin;
    }
}
