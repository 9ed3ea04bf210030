using System.Security;
using System.Text.RegularExpressions;

namespace AuthKit.Snippets.Tests;

/// <summary>
/// AuthKit's packages, packed once from src/ into a local folder feed, and a scratch folder set up so that projects created
/// under it restore from that feed (and nuget.org for everything else) into a package folder of their own.
/// </summary>
/// <remarks>
/// The version is fixed (<see cref="DefaultVersion"/>), so the scratch projects name it; a package folder per run keeps a
/// package of the same version packed earlier (and cached) from being used instead. The pack builds into its own artifacts
/// folder (<c>AUTHKIT_ARTIFACTS</c>), never over the build that runs the tests. Set <c>AUTHKIT_SNIPPETS_FEED</c> to a folder
/// of packages already packed (CI's) to skip packing; their version is read from the AuthKit.Core package's file name.
/// </remarks>
public sealed partial class PackedPackages : IAsyncLifetime
{
    public const string DefaultVersion = "0.0.0-snippets";
    public const string FeedVariable = "AUTHKIT_SNIPPETS_FEED";

    /// <summary>Packing builds all of src/ in Release: minutes on a busy 2-core machine.</summary>
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(15);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"authkit-snippets-{Guid.NewGuid():N}");

    public string Feed { get; private set; } = "";

    public string Version { get; private set; } = DefaultVersion;

    /// <summary>The IDs of the app packages in the feed (all but AuthKit.Testing and AuthKit.Tool).</summary>
    public IReadOnlyList<string> Packages { get; private set; } = [];

    /// <summary>Why the packages are not there (the pack's output), or <see langword="null"/>.</summary>
    public string? Failure { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        var given = Environment.GetEnvironmentVariable(FeedVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            Feed = Path.GetFullPath(given, Repository.Root);
        }
        else
        {
            Feed = Path.Combine(Root, "feed");
            var solution = Path.Combine(Root, "pack.slnx");
            await File.WriteAllTextAsync(solution, "<Solution>\n" + string.Concat(Repository.PackageProjects().Select(p => $"  <Project Path=\"{SecurityElement.Escape(p)}\" />\n")) + "</Solution>\n");
            var pack = await Dotnet.RunAsync(
                Root,
                PackTimeout,
                new Dictionary<string, string> { ["AUTHKIT_ARTIFACTS"] = Path.Combine(Root, "pack-artifacts") },
                "pack", solution, "-c", "Release", "-o", Feed, $"-p:MinVerVersionOverride={DefaultVersion}", "-nodeReuse:false", "-v", "q", "-nologo");
            if (!pack.Succeeded)
            {
                Failure = pack.ToString();
                return;
            }
        }

        var core = Directory.Exists(Feed) ? Directory.GetFiles(Feed, "AuthKit.Core.*.nupkg").Select(Path.GetFileName).ToList() : [];
        if (core.Count != 1 || CoreVersion().Match(core[0]!) is not { Success: true } version)
        {
            Failure = $"Expected one AuthKit.Core package in {Feed}; found {core.Count}.";
            return;
        }

        Version = version.Groups[1].Value;
        // AuthKit.Testing is for test projects (it brings xunit) and AuthKit.Tool is a .NET tool (dotnet tool install), not
        // a library: neither belongs in the apps the docs show.
        Packages = [.. Directory.GetFiles(Feed, $"*.{Version}.nupkg").Select(f => Path.GetFileName(f)[..^$".{Version}.nupkg".Length])
            .Where(id => id is not ("AuthKit.Testing" or "AuthKit.Tool")).Order(StringComparer.Ordinal)];
        WriteScratchSettings();
    }

    /// <summary>Fails the calling test with the pack's output when packing failed.</summary>
    public void EnsurePacked() => Assert.True(Failure is null, "Packing src/ failed, so no code block could be compiled:\n" + Failure);

    /// <summary>A new empty folder under <see cref="Root"/>, where the feed and the package folder apply.</summary>
    public string NewFolder(string name)
    {
        var folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }

    // The scratch projects see these files, not the repository's (they are not under it): NuGet sources, no central package
    // management, no warnings as errors, and a package folder of this run that falls back on the user's cache for the rest.
    private void WriteScratchSettings()
    {
        var userPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="authkit-packed" value="{SecurityElement.Escape(Feed)}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                <RestorePackagesPath>{SecurityElement.Escape(Path.Combine(Root, "packages"))}</RestorePackagesPath>
                <RestoreFallbackFolders>{SecurityElement.Escape(userPackages)}</RestoreFallbackFolders>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />\n");
    }

    [GeneratedRegex(@"^AuthKit\.Core\.(\d.*)\.nupkg$")]
    private static partial Regex CoreVersion();
}

[CollectionDefinition(Name)]
public sealed class PackedPackagesCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "Packed AuthKit packages";
}
