namespace AuthKit.Snippets.Tests;

/// <summary>How the docs' code blocks are found and classified (no packing: these run in milliseconds).</summary>
public sealed class CodeBlockTests
{
    [Fact]
    public void A_block_that_creates_a_WebApplication_is_a_program_and_other_blocks_are_class_files()
    {
        var blocks = CodeBlock.Parse("/docs/page.md", """
            # Page

            ```csharp
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            app.Run();
            ```

            ```cs
            public sealed class Validator { }
            ```
            """);

        Assert.Collection(
            blocks,
            b => Assert.Equal((CodeBlockKind.Program, 3, 4, 6), (b.Kind, b.FenceLine, b.FirstCodeLine, b.LastCodeLine)),
            b => Assert.Equal((CodeBlockKind.ClassFile, 9, "public sealed class Validator { }"), (b.Kind, b.FenceLine, b.Code)));
    }

    [Fact]
    public void A_block_marked_as_a_fragment_is_skipped_by_its_marker()
    {
        var blocks = CodeBlock.Parse("/docs/page.md", """
            <!-- snippet: fragment -->
            ```csharp
                .UseRedisSessionStore(o => o.Configuration = "127.0.0.1:6379")
            ```

            <!-- snippet: fragment (the options only) -->

            ```csharp
            builder.Services.AddAuthKit();
            ```

            <!-- a comment that is not the marker -->
            ```csharp
            public sealed class C { }
            ```
            """);

        Assert.Equal([CodeBlockKind.Fragment, CodeBlockKind.Fragment, CodeBlockKind.ClassFile], blocks.Select(b => b.Kind));
    }

    [Fact]
    public void Only_csharp_fences_count_and_an_indented_fence_loses_its_indentation()
    {
        var blocks = CodeBlock.Parse("/docs/page.md", """
            ```bash
            dotnet new web
            ```

            1. In a list:

               ```csharp
               public sealed class C
               {
               }
               ```

            ````markdown
            ```csharp
            not a block: inside another fence
            ```
            ````
            """);

        var block = Assert.Single(blocks);
        Assert.Equal("public sealed class C\n{\n}", block.Code);
        Assert.Equal(7, block.FenceLine);
    }

    [Fact]
    public void The_documented_pages_are_the_README_and_docs_but_not_the_design_records()
    {
        var pages = Repository.DocumentedPages().Select(Repository.Relative).ToList();
        Assert.Contains("README.md", pages);
        Assert.Contains("docs/sessions.md", pages);
        Assert.DoesNotContain(pages, p => p.StartsWith("docs/design/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_compiler_error_is_reported_at_its_page_and_line_under_the_block_it_is_in()
    {
        var page = Path.Combine(Repository.Root, "docs", "page.md");
        var blocks = CodeBlock.Parse(page, """
            ```csharp
            var builder = WebApplication.CreateBuilder(args);
            builder.Build().Run();
            ```

            ```csharp
            public sealed class Validator : IBasicCredentialValidator { }
            ```
            """);
        List<string> errors =
        [
            $"2:6>{page}(7,33): error CS0246: The type or namespace name 'IBasicCredentialValidator' could not be found [/tmp/x/docs_page_md_L1/docs_page_md_L1.csproj]",
            $"/tmp/x/docs_page_md_L1/docs_page_md_L1.csproj : error NU1101: Unable to find package AuthKit.Nope. [/tmp/x/blocks.slnx]",
        ];

        var found = SnippetBuild.Attribute(errors, [("/tmp/x/docs_page_md_L1/docs_page_md_L1.csproj", blocks)]);

        Assert.Collection(
            found,
            e => Assert.Equal(("docs/page.md:6", "docs/page.md(7,33): error CS0246: The type or namespace name 'IBasicCredentialValidator' could not be found"), (e.Block?.Name, e.Message)),
            e => Assert.Equal("docs/page.md:1", e.Block?.Name));
    }

    [Fact]
    public void A_class_file_block_that_starts_with_a_statement_is_told_apart_from_one_that_declares_types()
    {
        var blocks = CodeBlock.Parse("/docs/page.md", """
            ```csharp
            builder.Services.AddAuthKit().AddSessions();
            ```

            ```csharp
            using System.Security.Claims;
            // A comment, then an attribute.
            [Obsolete]
            public sealed partial class Validator { }
            ```

            ```csharp
            using AuthKit;

            record LoginForm(string Name, string Password);
            ```
            """);

        Assert.Equal([true, false, false], blocks.Select(b => b.IsClassFileWithStatements));
    }
}
