using System.Reflection;

namespace AuthKit.Snippets.Tests;

/// <summary>Where the repository is (recorded at build time) and which Markdown pages hold the documented code.</summary>
internal static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AuthKit.RepositoryRoot").Value!;

    /// <summary>README.md and docs/*.md (not docs/design: records for maintainers, not code for users).</summary>
    public static IReadOnlyList<string> DocumentedPages()
    {
        var docs = Path.Combine(Root, "docs");
        return [Path.Combine(Root, "README.md"), .. Directory.GetFiles(docs, "*.md").Order(StringComparer.Ordinal)];
    }

    /// <summary>The packages a user adds to an app: every project under src/ except AuthKit.Testing (a test library) and AuthKit.Tool (a .NET tool).</summary>
    public static IReadOnlyList<string> PackageProjects() =>
        [.. Directory.GetDirectories(Path.Combine(Root, "src"))
            .Select(d => Path.Combine(d, Path.GetFileName(d) + ".csproj"))
            .Where(File.Exists)
            .Where(p => Path.GetFileNameWithoutExtension(p) is not ("AuthKit.Testing" or "AuthKit.Tool"))
            .Order(StringComparer.Ordinal)];

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');
}
