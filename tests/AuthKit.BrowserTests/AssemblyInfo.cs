// A browser and sample processes per class: one class at a time keeps a 2-core CI machine responsive.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
