using System.Text.RegularExpressions;

namespace AuthKit.Snippets.Tests;

/// <summary>How a C# block of the docs is compiled.</summary>
internal enum CodeBlockKind
{
    /// <summary>A whole <c>Program.cs</c> (it calls <c>WebApplication.Create…</c>): compiled as the top-level program of its own project.</summary>
    Program = 1,

    /// <summary>A class file (types, with their usings): compiled with every program of its page, or alone as a library.</summary>
    ClassFile = 2,

    /// <summary>Marked <c>&lt;!-- snippet: fragment --&gt;</c>: deliberately incomplete, not compiled.</summary>
    Fragment = 3,
}

/// <summary>One fenced <c>```csharp</c> block of a Markdown page.</summary>
/// <param name="Page">The page's full path.</param>
/// <param name="FenceLine">The 1-based line of the opening fence; the code starts on the next line.</param>
/// <param name="Code">The code, with the fence's own indentation removed.</param>
internal sealed partial record CodeBlock(string Page, int FenceLine, string Code, CodeBlockKind Kind)
{
    /// <summary>The marker, on the last non-blank line before a block's fence, that makes the block a fragment.</summary>
    public const string FragmentMarker = "<!-- snippet: fragment";

    public int FirstCodeLine => FenceLine + 1;

    public int LastCodeLine => FenceLine + Code.Split('\n').Length;

    /// <summary><c>README.md:53</c>: the page (relative to the repository) and the fence's line.</summary>
    public string Name => $"{Repository.Relative(Page)}:{FenceLine}";

    /// <summary>
    /// A class-file block whose first line after its usings is a statement, not a declaration: it cannot compile beside a program
    /// (the compiler then reports only CS8802 for one such block of a project, hiding the others).
    /// </summary>
    public bool IsClassFileWithStatements =>
        Kind == CodeBlockKind.ClassFile
        && Code.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !IsPreamble(l)) is { } first
        && !Declaration().IsMatch(first);

    public bool Contains(string page, int line) =>
        string.Equals(Path.GetFullPath(page), Path.GetFullPath(Page), StringComparison.Ordinal) && line >= FirstCodeLine && line <= LastCodeLine;

    /// <summary>The C# blocks of a Markdown page (fences <c>csharp</c>, <c>cs</c>, <c>c#</c>), in order.</summary>
    public static IReadOnlyList<CodeBlock> Read(string page) => Parse(page, File.ReadAllText(page));

    public static IReadOnlyList<CodeBlock> Parse(string page, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<CodeBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var indent = open.Groups["indent"].Value.Length;
            var fence = open.Groups["fence"].Value;
            var language = open.Groups["info"].Value.Trim().Split(' ', 2)[0].ToLowerInvariant();
            var code = new List<string>();
            var j = i + 1;
            for (; j < lines.Length; j++)
            {
                var trimmed = lines[j].TrimStart();
                if (trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.TrimEnd().Trim(fence[0]).Length == 0)
                {
                    break;
                }

                code.Add(Unindent(lines[j], indent));
            }

            if (language is "csharp" or "cs" or "c#")
            {
                var text = string.Join('\n', code);
                var kind = IsMarkedFragment(lines, i) ? CodeBlockKind.Fragment
                    : ProgramCall().IsMatch(text) ? CodeBlockKind.Program
                    : CodeBlockKind.ClassFile;
                blocks.Add(new CodeBlock(page, i + 1, text, kind));
            }

            i = j;
        }

        return blocks;
    }

    private static bool IsMarkedFragment(string[] lines, int fence)
    {
        for (var k = fence - 1; k >= 0; k--)
        {
            var line = lines[k].Trim();
            if (line.Length > 0)
            {
                return line.StartsWith(FragmentMarker, StringComparison.OrdinalIgnoreCase);
            }
        }

        return false;
    }

    private static bool IsPreamble(string line) =>
        line.StartsWith("using ", StringComparison.Ordinal) || line.StartsWith("global using ", StringComparison.Ordinal)
        || line.StartsWith("extern alias ", StringComparison.Ordinal) || line.StartsWith('#') || line.StartsWith("//", StringComparison.Ordinal)
        || line.StartsWith("/*", StringComparison.Ordinal) || line.StartsWith('*') || line.StartsWith('[');

    private static string Unindent(string line, int indent)
    {
        var n = 0;
        while (n < indent && n < line.Length && line[n] == ' ')
        {
            n++;
        }

        return line[n..];
    }

    [GeneratedRegex(@"^(?<indent> *)(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex Fence();

    // What a type, a namespace or a delegate declaration starts with.
    [GeneratedRegex(@"^((public|internal|private|protected|file|sealed|static|abstract|partial|readonly|ref|unsafe|new)\s+)*(class|record|struct|interface|enum|namespace|delegate)\b")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\bWebApplication\s*\.\s*Create")]
    private static partial Regex ProgramCall();
}
