using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AuthKit.Benchmarks.Basic;

/// <summary>
/// The Basic benchmarks' job: 25 warm-up iterations (DESIGN.md: the peers keep getting faster through the first rounds), 15 measured,
/// allocations. In-process, so a run does not rebuild the benchmark project.
/// </summary>
public sealed class BasicBenchConfig : ManualConfig
{
    public BasicBenchConfig()
    {
        AddJob(Job.Default
            .WithWarmupCount(25)
            .WithIterationCount(15)
            .WithLaunchCount(1)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
            .WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}
