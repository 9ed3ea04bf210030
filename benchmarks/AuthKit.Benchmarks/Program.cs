using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/AuthKit.Benchmarks -- --filter '*Jwt*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
