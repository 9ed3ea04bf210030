using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AuthKit.Benchmarks.Sessions;

/// <summary>
/// The session benchmarks' job: 25 warm-up iterations (DESIGN.md), 15 measured, allocations, in process (no rebuild of the
/// whole benchmark project per run), workstation GC as in the project.
/// </summary>
public sealed class SessionBenchConfig : ManualConfig
{
    public SessionBenchConfig()
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
