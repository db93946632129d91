// Cossistant.Client benchmarks. Three modes of one executable (always run in Release):
//   dotnet run -c Release --project benchmarks/Cossistant.Client.Benchmarks -- --filter '*'   BenchmarkDotNet (short job)
//   dotnet run -c Release --project benchmarks/Cossistant.Client.Benchmarks -- latency        end to end vs the socket floor
//   dotnet run -c Release --project benchmarks/Cossistant.Client.Benchmarks -- memory         retained bytes per client and session
//   dotnet run -c Release --project benchmarks/Cossistant.Client.Benchmarks -- halfopen       recovery from a frozen network path
// See README.md beside this file for the results.
using BenchmarkDotNet.Running;
using Cossistant.Client.Benchmarks;

switch (args.FirstOrDefault())
{
    case "latency":
        return await LatencyMode.RunAsync(args[1..]);
    case "memory":
        return await MemoryMode.RunAsync(args[1..]);
    case "halfopen":
        return await HalfOpenMode.RunAsync(args[1..]);
    case EmulatorHost.Mode:
        return await EmulatorHost.RunAsync(args[1..]);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, new BenchmarkConfig());
        return 0;
}
