using AuthKit.Benchmarks.Interleaved;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/AuthKit.Benchmarks -- interleaved      (what benchmarks/run.sh runs)
// dotnet run -c Release --project benchmarks/AuthKit.Benchmarks -- --filter '*Jwt*'  (BenchmarkDotNet)
if (args.Length > 0 && args[0] == "interleaved")
{
    return await InterleavedProgram.RunAsync(args).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "interleaved-profile")
{
    return await AllocationProfile.RunAsync(args).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
