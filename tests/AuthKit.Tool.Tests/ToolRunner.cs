using System.Diagnostics;
using System.Text;

namespace AuthKit.Tool.Tests;

/// <summary>What one run of the tool printed and how it ended.</summary>
public sealed record ToolResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs <c>dotnet AuthKit.Tool.dll …</c> as a separate process, as an operator's shell does.</summary>
public static class ToolRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The tool's build output, beside this project's: artifacts/bin/AuthKit.Tool/{configuration}/AuthKit.Tool.dll.</summary>
    public static string ToolPath { get; } = FindTool();

    public static async Task<ToolResult> RunAsync(IEnumerable<string> args, string? stdin = null, string? workingDirectory = null, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        // The tool reads the app's settings from the environment too: start from a clean slate of AuthKit variables.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AuthKit__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = null;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = null;
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"authkit {string.Join(' ', args)} did not finish within {Timeout}.");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<ToolResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    private static string FindTool()
    {
        // AppContext.BaseDirectory is artifacts/bin/AuthKit.Tool.Tests/{configuration}/.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var bin = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", ".."));
        var path = Path.Combine(bin, "AuthKit.Tool", configuration, "AuthKit.Tool.dll");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The tool was not built at {path}: build src/AuthKit.Tool (this project references it).");
        }

        return path;
    }
}

/// <summary>A temporary directory, deleted at dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "authkit-tool-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
