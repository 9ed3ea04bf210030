// Each test class starts several .NET processes; running them one class at a time keeps a 2-core CI machine responsive.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
