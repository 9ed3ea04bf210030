// Packing, restoring and building are CPU-bound child processes: one test at a time keeps a 2-core CI machine responsive.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
