using System.Reflection;

namespace AuthKit.IntegrationTests;

/// <summary>Where the sample DLLs were built (recorded by SamplePaths.targets at build time).</summary>
public static class SamplePaths
{
    public static string WebApp => Get("AuthKit.Samples.WebApp.Path");

    public static string Cluster => Get("AuthKit.Samples.Cluster.Path");

    /// <summary>The <c>samples/</c> folder of the source tree.</summary>
    public static string SourceFolder => Get("AuthKit.Samples.Source");

    private static string Get(string key)
    {
        var value = typeof(SamplePaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidOperationException($"The build did not record {key}.");
        }

        return value;
    }
}
