using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AuthKit.Benchmarks;

/// <summary>
/// The one job every AuthKit benchmark runs with: at least 25 warm-up iterations (DESIGN.md: the peers keep getting 2–4×
/// faster through the first rounds), 15 measured iterations of 250 ms, allocations, min and median beside the mean (on a
/// shared machine the mean swings with other load), benchmarks in declared order. In-process, so a run does not rebuild the
/// benchmark project. Network stores' figures include the loopback round trip and the server's CPU time, which competes
/// with the benchmark for the same cores.
/// </summary>
public sealed class AuthKitBenchConfig : ManualConfig
{
    public AuthKitBenchConfig()
    {
        AddJob(Job.Default
            .WithWarmupCount(25)
            .WithIterationCount(15)
            .WithLaunchCount(1)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
            .WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Min, StatisticColumn.Median);
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}
