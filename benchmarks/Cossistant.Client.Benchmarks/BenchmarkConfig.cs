using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace Cossistant.Client.Benchmarks;

/// <summary>
/// The short default job: one process per benchmark, 3 warmup and 8 measured iterations of about 200 ms each,
/// allocations measured.
/// The whole suite runs in a few minutes on a 2-core machine. Command-line options (<c>--filter</c>,
/// <c>--job</c>, <c>--iterationCount</c>…) still apply on top.
/// </summary>
public class BenchmarkConfig : ManualConfig
{
    /// <summary>
    /// Warmup iterations for benchmarks that run a lot of code (JSON, frozen collections, HTTP): on 2 cores the
    /// tiered JIT needs a few seconds before their times settle, which 3 warmup iterations do not give.
    /// </summary>
    public const int LongWarmup = 20;

    public BenchmarkConfig()
    {
        AddJob(Job.Default
            .WithId("short")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(8)
            .WithIterationTime(TimeInterval.FromMilliseconds(200)));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumnProvider(DefaultColumnProviders.Instance);
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
        AddLogger(ConsoleLogger.Default);
        AddExporter(MarkdownExporter.GitHub);
        SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
        AddValidator(DefaultConfig.Instance.GetValidators().ToArray());
        AddAnalyser(DefaultConfig.Instance.GetAnalysers().ToArray());
    }
}
