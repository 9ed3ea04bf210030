using System.Text;

namespace AuthKit.Snippets.Tests;

/// <summary>Every C# block of README.md and docs/*.md compiles against the packed packages, as a user pastes it.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class CodeBlocksCompileTests(PackedPackages packages)
{
    [Fact]
    public async Task Every_csharp_block_of_the_README_and_docs_compiles_against_the_packed_packages()
    {
        packages.EnsurePacked();
        var blocks = Repository.DocumentedPages().SelectMany(CodeBlock.Read).ToList();
        Assert.NotEmpty(blocks);

        var result = await SnippetBuild.RunAsync(packages, blocks);
        Assert.True(result.BuildFailure is null, "The blocks could not be built at all:\n" + result.BuildFailure);
        Assert.True(result.Errors.Count == 0, Report(blocks, result.Errors, packages.Version));
    }

    private static string Report(IReadOnlyList<CodeBlock> blocks, IReadOnlyList<BlockError> errors, string version)
    {
        var compiled = blocks.Count(b => b.Kind != CodeBlockKind.Fragment);
        var failing = errors.GroupBy(e => e.Block).ToList();
        var text = new StringBuilder();
        text.AppendLine($"{failing.Count(g => g.Key is not null)} of {compiled} C# blocks in README.md and docs/*.md do not compile against the packed packages ({version}):");
        foreach (var group in failing.OrderBy(g => g.Key?.Name, StringComparer.Ordinal))
        {
            text.AppendLine();
            text.AppendLine(group.Key is { } block ? $"{block.Name} ({(block.Kind == CodeBlockKind.Program ? "program" : "class file")})" : "(not in a block)");
            foreach (var error in group)
            {
                text.AppendLine("  " + error.Message);
            }
        }

        text.AppendLine();
        text.AppendLine("How blocks are compiled (CONTRIBUTING.md, \"Code blocks in the docs\"): a block that calls WebApplication.Create… is a");
        text.AppendLine("Program.cs of its own, with the usings of `dotnet new web`; any other block is a class file (types only), compiled with");
        text.AppendLine("each program of its page. Complete the block (usings, the types it uses), or mark a deliberate fragment with");
        text.AppendLine($"{CodeBlock.FragmentMarker} --> on the line before its fence.");
        var fragments = blocks.Where(b => b.Kind == CodeBlockKind.Fragment).Select(b => b.Name).ToList();
        if (fragments.Count > 0)
        {
            text.AppendLine("Skipped as fragments: " + string.Join(", ", fragments));
        }

        return text.ToString();
    }
}
