using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AuthKit.Benchmarks.Redis;

/// <summary>
/// The job for the store benchmarks: 25 warm-up and 15 measured iterations of 250 ms, in-process (no rebuild per run),
/// with allocations. A network store's figures include the loopback round trip and the server's own CPU time, which on
/// this machine competes with the benchmark for the same two cores.
/// </summary>
public sealed class RedisBenchConfig : ManualConfig
{
    public RedisBenchConfig()
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
