using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AuthKit.Benchmarks.Jwt;

/// <summary>
/// One job for every JWT benchmark: at least 25 warm-up iterations (DESIGN.md: the peers keep getting 2–4× faster through the
/// first rounds), 15 measured iterations, allocations. In-process, so a run does not rebuild the whole benchmark project.
/// </summary>
public sealed class JwtBenchConfig : ManualConfig
{
    public JwtBenchConfig()
    {
        AddJob(Job.Default
            .WithWarmupCount(25)
            .WithIterationCount(15)
            .WithLaunchCount(1)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
            .WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);

        // On a shared, loaded machine the mean swings with other people's builds; the minimum and median are what to compare.
        AddColumn(StatisticColumn.Min, StatisticColumn.Median);
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}
