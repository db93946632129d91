using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cossistant.Client.IntegrationTests.DependencyInjection;

/// <summary>
/// Every option binds from configuration under the key of its property's path (<c>Realtime:PingInterval</c>), found by
/// reflection so that an option added later without a key fails here; and <c>Clone</c> copies every option.
/// </summary>
public sealed class ConfigurationRoundTripTests
{
    /// <summary>Options that are services or objects: each has its own key or comes from the container, as listed.</summary>
    private static readonly Dictionary<string, string> NotScalar = new(StringComparer.Ordinal)
    {
        ["Support"] = "key FeatureFlags (a list of names)",
        ["VisitorIdStore"] = "key VisitorIdFile (a FileVisitorIdStore)",
        ["LastKnownStateStore"] = "key LastKnownStateDirectory (a FileLastKnownStateStore)",
        ["TimeProvider"] = "the container's TimeProvider",
        ["LoggerFactory"] = "the container's ILoggerFactory",
        ["MeterFactory"] = "the container's IMeterFactory",
        ["Retry"] = "its own properties, under Retry:",
        ["Realtime"] = "its own properties, under Realtime:",
    };

    [Fact]
    public void EveryScalarOption_BindsFromItsKey_AndEveryOtherOptionHasADocumentedSource()
    {
        var defaults = new CossistantClientOptions();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var expected = new List<(string Path, object Value)>();
        var index = 0;
        foreach (var (path, property, owner) in Settable(defaults))
        {
            if (!IsScalar(property.PropertyType))
            {
                Assert.True(NotScalar.ContainsKey(path), $"Option {path} ({property.PropertyType.Name}) binds from no key: add one to AddCossistant's Bind and to this test.");
                continue;
            }

            var value = Different(path, property.PropertyType, property.GetValue(owner), ++index);
            values["Cossistant:" + path] = Text(value);
            expected.Add((path, value));
        }

        var directory = Path.Combine(Path.GetTempPath(), "cossistant-config-" + Guid.NewGuid().ToString("N"));
        values["Cossistant:FeatureFlags:0"] = "beta";
        values["Cossistant:FeatureFlags:1"] = "billing-v2";
        values["Cossistant:VisitorIdFile"] = Path.Combine(directory, "visitor-id");
        values["Cossistant:LastKnownStateDirectory"] = directory;
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Cossistant"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<CossistantClientOptions>>().Value;

        Assert.True(expected.Count >= 20, $"only {expected.Count} scalar options found");
        foreach (var (path, value) in expected)
        {
            Assert.Equal(value, Read(options, path));
        }

        Assert.Equal(["beta", "billing-v2"], options.Support.FeatureFlags.Select(flag => flag.Name));
        Assert.Equal(Path.Combine(directory, "visitor-id"), Assert.IsType<FileVisitorIdStore>(options.VisitorIdStore).FilePath);
        Assert.Equal(directory, Assert.IsType<FileLastKnownStateStore>(options.LastKnownStateStore).DirectoryPath);
        Assert.Contains("Realtime:AutoConnect", expected.Select(entry => entry.Path));
        Assert.Contains("TraceVisitorIds", expected.Select(entry => entry.Path));
    }

    [Theory]
    [InlineData("Realtime:AutoConnect", "yes", "Realtime:AutoConnect \"yes\" is not true or false.")]
    [InlineData("Realtime:PingInterval", "soon", "Realtime:PingInterval \"soon\" is not a time span such as 00:00:30.")]
    [InlineData("Realtime:MaxFrameBytes", "1MB", "Realtime:MaxFrameBytes must be a whole number.")]
    [InlineData("TraceVisitorIds", "on", "TraceVisitorIds \"on\" is not true or false.")]
    public void BadValue_FailsNamingItsKey(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cossistant:PrivateApiKey"] = "sk_test_" + new string('a', 64),
            ["Cossistant:" + key] = value,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddCossistant(configuration.GetSection("Cossistant"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CossistantClientOptions>>().Value);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task ContainerServices_TheHostsMeterFactory_MetersTheRegistration()
    {
        var services = new ServiceCollection().AddLogging().AddMetrics();
        services.AddCossistant(options => options.PrivateApiKey = "sk_test_" + new string('b', 64));
        await using var provider = services.BuildServiceProvider();
        var meters = provider.GetRequiredService<IMeterFactory>();
        var scopes = new List<object?>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == CossistantDiagnostics.MeterName)
                {
                    lock (scopes)
                    {
                        scopes.Add(instrument.Meter.Scope);
                    }
                }
            },
        };
        listener.Start();

        _ = provider.GetRequiredService<CossistantSessionFactory>();

        lock (scopes)
        {
            Assert.Contains(scopes, scope => ReferenceEquals(scope, meters));
        }
    }

    [Fact]
    public void Clone_CopiesEveryOption()
    {
        var original = new CossistantClientOptions();
        var index = 0;
        foreach (var (path, property, owner) in Settable(original))
        {
            if (IsScalar(property.PropertyType))
            {
                property.SetValue(owner, Different(path, property.PropertyType, property.GetValue(owner), ++index));
            }
        }

        original.Support = SupportConfig.FromNames(["beta"]);
        original.VisitorIdStore = new InMemoryVisitorIdStore();
        original.LastKnownStateStore = new FileLastKnownStateStore(Path.GetTempPath());
        original.TimeProvider = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var loggers = LoggerFactory.Create(_ => { });
        original.LoggerFactory = loggers;
        var metersServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        original.MeterFactory = metersServices.GetRequiredService<IMeterFactory>();

        var clone = original.Clone();

        Assert.NotSame(original.Retry, clone.Retry);
        Assert.NotSame(original.Realtime, clone.Realtime);
        foreach (var (path, property, _) in Settable(original))
        {
            if (path is "Retry" or "Realtime")
            {
                continue;
            }

            var value = Read(original, path);
            Assert.NotNull(value);
            Assert.Equal(value, Read(clone, path));
        }

        metersServices.Dispose();
    }

    /// <summary>Every public settable property, with its configuration path, recursing into Retry and Realtime.</summary>
    private static IEnumerable<(string Path, PropertyInfo Property, object Owner)> Settable(object owner, string prefix = "")
    {
        foreach (var property in owner.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var path = prefix + property.Name;
            yield return (path, property, owner);
            if (property.PropertyType == typeof(CossistantRetryOptions) || property.PropertyType == typeof(CossistantRealtimeOptions))
            {
                foreach (var nested in Settable(property.GetValue(owner)!, path + ":"))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type == typeof(string) || type == typeof(Uri) || type == typeof(bool) || type == typeof(int) || type == typeof(TimeSpan);

    private static object? Read(object owner, string path)
    {
        object? value = owner;
        foreach (var name in path.Split(':'))
        {
            value = value!.GetType().GetProperty(name)!.GetValue(value);
        }

        return value;
    }

    /// <summary>A valid value unlike the default (times grow by whole seconds, so their order rules still hold).</summary>
    private static object Different(string path, Type type, object? current, int index) => path switch
    {
        "ApiUrl" => new Uri("https://api.example.test/v1/"),
        "RealtimeUrl" => new Uri("wss://api.example.test/ws"),
        "PublicKey" => "pk_test_" + new string('c', 64),
        "PrivateApiKey" => "sk_test_" + new string('d', 64),
        "Origin" => "https://app.example.test",
        "ActorUserId" => "01JACTOR00000000000000000" + index % 10,
        _ when type == typeof(bool) => !(bool)current!,
        _ when type == typeof(int) => (int)current! + index,
        _ when type == typeof(TimeSpan) => (TimeSpan)current! + TimeSpan.FromSeconds(index),
        _ => throw new InvalidOperationException($"No test value for {path} ({type.Name})."),
    };

    private static string Text(object value) => value switch
    {
        Uri uri => uri.AbsoluteUri,
        TimeSpan time => time.ToString("c", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
