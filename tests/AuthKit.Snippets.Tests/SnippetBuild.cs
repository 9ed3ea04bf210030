using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace AuthKit.Snippets.Tests;

/// <summary>
/// Compiles the C# blocks of the documented pages against the packed packages: a project per program block (with the class
/// files of its page), a library for a page with class files but no program, one restore and one build for all of them.
/// </summary>
internal static partial class SnippetBuild
{
    /// <summary>Packages that a page may use beside AuthKit's (the distributed store's page uses a Redis cache).</summary>
    private static readonly (string Id, string Version)[] s_otherPackages = [("Microsoft.Extensions.Caching.StackExchangeRedis", "10.0.15")];

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    public static async Task<SnippetBuildResult> RunAsync(PackedPackages packages, IReadOnlyList<CodeBlock> blocks)
    {
        var folder = packages.NewFolder("blocks-" + Guid.NewGuid().ToString("N")[..8]);
        var projects = new List<(string Project, IReadOnlyList<CodeBlock> Blocks)>();
        List<BlockError> statements = [.. blocks.Where(b => b.IsClassFileWithStatements).Select(b => new BlockError(b,
            $"{Repository.Relative(b.Page)}({b.FirstCodeLine}): statements outside a program: start the block with `var builder = WebApplication.CreateBuilder(args);` (and show the rest of Program.cs), make it a class file, or mark it as a fragment"))];
        foreach (var page in blocks.Where(b => b.Kind != CodeBlockKind.Fragment && !b.IsClassFileWithStatements).GroupBy(b => b.Page))
        {
            var classFiles = page.Where(b => b.Kind == CodeBlockKind.ClassFile).ToList();
            var programs = page.Where(b => b.Kind == CodeBlockKind.Program).ToList();
            var pageName = Regex.Replace(Repository.Relative(page.Key), "[^A-Za-z0-9]+", "_");
            if (programs.Count == 0)
            {
                projects.Add((WriteProject(folder, $"{pageName}_classes", packages, program: null, classFiles), classFiles));
            }

            foreach (var program in programs)
            {
                projects.Add((WriteProject(folder, $"{pageName}_L{program.FenceLine}", packages, program, classFiles), [program, .. classFiles]));
            }
        }

        if (projects.Count == 0)
        {
            return new SnippetBuildResult(statements, null);
        }

        var solution = Path.Combine(folder, "blocks.slnx");
        await File.WriteAllTextAsync(solution, "<Solution>\n" + string.Concat(projects.Select(p => $"  <Project Path=\"{SecurityElement.Escape(Path.GetRelativePath(folder, p.Project))}\" />\n")) + "</Solution>\n");
        var errorLog = Path.Combine(folder, "errors.log");
        var build = await Dotnet.RunAsync(folder, BuildTimeout, null,
            "build", solution, "-nodeReuse:false", "-nologo", "-v", "q", "-clp:NoSummary", $"-flp:errorsonly;logfile={errorLog}");
        var errors = File.Exists(errorLog) ? File.ReadAllLines(errorLog).Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().ToList() : [];
        if (!build.Succeeded && errors.Count == 0)
        {
            // Something other than a block failed (the SDK, a timeout): report the whole output.
            return new SnippetBuildResult([], build.ToString());
        }

        return new SnippetBuildResult([.. statements, .. Attribute(errors, projects)], null);
    }

    /// <summary>Each error line to the block it is in: by the Markdown file and line (every file starts with <c>#line</c>), else by project.</summary>
    internal static List<BlockError> Attribute(List<string> errors, List<(string Project, IReadOnlyList<CodeBlock> Blocks)> projects)
    {
        var found = new List<BlockError>();
        foreach (var error in errors)
        {
            var message = NodePrefix().Replace(ProjectSuffix().Replace(error, ""), "");
            var at = FileAndLine().Match(message);
            CodeBlock? block = null;
            if (at.Success)
            {
                var file = at.Groups["file"].Value;
                var line = int.Parse(at.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
                block = projects.SelectMany(p => p.Blocks).FirstOrDefault(b => b.Contains(file, line));
                if (block is not null)
                {
                    message = Repository.Relative(file) + message[at.Groups["file"].Length..];
                }
            }

            block ??= projects.FirstOrDefault(p => error.Contains(p.Project, StringComparison.Ordinal)).Blocks?.FirstOrDefault();
            if (message.Contains("error CS8802", StringComparison.Ordinal) || message.Contains("error CS8805", StringComparison.Ordinal))
            {
                message += " (statements outside a program: start the block with `var builder = WebApplication.CreateBuilder(args);`, or mark it as a fragment)";
            }

            found.Add(new BlockError(block, message.Trim()));
        }

        return [.. found.DistinctBy(e => (e.Block?.Name, e.Message))];
    }

    private static string WriteProject(string folder, string name, PackedPackages packages, CodeBlock? program, IReadOnlyList<CodeBlock> classFiles)
    {
        var dir = Path.Combine(folder, name);
        Directory.CreateDirectory(dir);
        if (program is not null)
        {
            File.WriteAllText(Path.Combine(dir, "Program.cs"), WithLineMapping(program));
        }

        foreach (var block in classFiles)
        {
            File.WriteAllText(Path.Combine(dir, $"Block_L{block.FenceLine}.cs"), WithLineMapping(block));
        }

        var references = new StringBuilder();
        foreach (var id in packages.Packages)
        {
            references.Append($"    <PackageReference Include=\"{id}\" Version=\"{packages.Version}\" />\n");
        }

        foreach (var (id, version) in s_otherPackages)
        {
            references.Append($"    <PackageReference Include=\"{id}\" Version=\"{version}\" />\n");
        }

        var project = Path.Combine(dir, name + ".csproj");
        // What `dotnet new web` makes (implicit usings, nullable), plus every AuthKit package.
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <OutputType>{(program is null ? "Library" : "Exe")}</OutputType>
                <UseAppHost>false</UseAppHost>
                <GenerateDocumentationFile>false</GenerateDocumentationFile>
              </PropertyGroup>
              <ItemGroup>
            {references}  </ItemGroup>
            </Project>
            """);
        return project;
    }

    // Compiler messages then name the Markdown page and its line, not the generated file.
    private static string WithLineMapping(CodeBlock block) => $"#line {block.FirstCodeLine} \"{block.Page}\"\n{block.Code}\n";

    [GeneratedRegex(@"\s*\[[^\[\]]+\.csproj(::[^\]]*)?\]\s*$")]
    private static partial Regex ProjectSuffix();

    // MSBuild's "node:id>" in front of a message of a parallel build.
    [GeneratedRegex(@"^\s*\d+(:\d+)?>")]
    private static partial Regex NodePrefix();

    [GeneratedRegex(@"^(?<file>.+?)\((?<line>\d+),\d+\): error ")]
    private static partial Regex FileAndLine();
}

/// <summary>The errors of the build, each with its block; or why the build itself could not run.</summary>
internal sealed record SnippetBuildResult(IReadOnlyList<BlockError> Errors, string? BuildFailure);

/// <summary>A compiler (or restore) error, with the block it belongs to when known.</summary>
internal sealed record BlockError(CodeBlock? Block, string Message);
