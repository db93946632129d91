using System.Globalization;

namespace Cossistant.Client.Benchmarks;

internal static class CommandLine
{
    /// <summary>Reads <c>--name 123</c> from the arguments.</summary>
    public static int IntOption(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
