namespace AuthKit.Tool;

/// <summary>authkit: the command-line tool for people who run AuthKit apps (docs/tool.md).</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => AuthKitCli.RunAsync(args);
}
