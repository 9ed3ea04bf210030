using System.Reflection;

namespace AuthKit.Samples.Cluster;

/// <summary>Finds the built <c>AuthKit.Samples.WebApp.dll</c> the cluster launches.</summary>
internal static class WebAppLocator
{
    private const string FileName = "AuthKit.Samples.WebApp.dll";

    /// <summary>The configured path, else the path recorded at build time, else the usual artifacts folders.</summary>
    public static string? Find(string? configured)
    {
        foreach (var candidate in Candidates(configured))
        {
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    public static IEnumerable<string> Candidates(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return configured;
            yield break;
        }

        // Recorded by the csproj (the ProjectReference builds the WebApp alongside the cluster).
        var recorded = typeof(WebAppLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AuthKit.Samples.WebApp.Path")?.Value;
        if (!string.IsNullOrWhiteSpace(recorded))
        {
            yield return recorded;
        }

        // Next to us: artifacts/bin/AuthKit.Samples.Cluster/<pivot>/ → artifacts/bin/AuthKit.Samples.WebApp/<pivot>/.
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var pivot = Path.GetFileName(here);
        var bin = Path.GetDirectoryName(Path.GetDirectoryName(here));
        if (bin is not null)
        {
            yield return Path.Combine(bin, "AuthKit.Samples.WebApp", pivot, FileName);
        }

        var artifacts = Environment.GetEnvironmentVariable("AUTHKIT_ARTIFACTS");
        foreach (var root in new[] { artifacts, FindRepositoryArtifacts() })
        {
            if (string.IsNullOrEmpty(root))
            {
                continue;
            }

            foreach (var configuration in new[] { "debug", "release" })
            {
                yield return Path.Combine(root, "bin", "AuthKit.Samples.WebApp", configuration, FileName);
            }
        }
    }

    private static string? FindRepositoryArtifacts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AuthKit.sln")))
            {
                return Path.Combine(dir.FullName, "artifacts");
            }
        }

        return null;
    }
}
