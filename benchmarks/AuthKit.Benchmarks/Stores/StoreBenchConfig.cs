using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AuthKit.Benchmarks.Stores;

/// <summary>25 warm-up iterations (DESIGN.md), 15 measured, allocations, in process.</summary>
public sealed class StoreBenchConfig : ManualConfig
{
    public StoreBenchConfig()
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
