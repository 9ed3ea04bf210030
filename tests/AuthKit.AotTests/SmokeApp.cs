using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace AuthKit.AotTests;

/// <summary>The AOT smoke app (samples/AuthKit.Samples.Aot) running as a separate process on a loopback port.</summary>
public sealed class SmokeApp : IAsyncDisposable
{
    /// <summary>Set to a path to test that native binary; set <see cref="RequiredVariable"/> to 1 to fail, not skip, when it is missing.</summary>
    public const string BinaryVariable = "AUTHKIT_AOT_BINARY";

    /// <summary>CI sets it (after publishing): a missing native binary is then a failure.</summary>
    public const string RequiredVariable = "AUTHKIT_AOT_REQUIRED";

    public const string UserName = "alice";
    public const string Password = "alice-password";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private SmokeApp(Process process, Uri address, StringBuilder output)
    {
        _process = process;
        Address = address;
        _output = output;
    }

    public Uri Address { get; }

    /// <summary>What the app printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The published native executable: <c>AUTHKIT_AOT_BINARY</c>, else artifacts/aot/AuthKit.Samples.Aot.</summary>
    public static string NativeBinary => Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } path
        ? Path.GetFullPath(path)
        : Path.Combine(RepositoryRoot, "artifacts", "aot", "AuthKit.Samples.Aot");

    /// <summary>The app's JIT build, beside this project's output.</summary>
    public static string JitAssembly
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "AuthKit.Samples.Aot", configuration, "AuthKit.Samples.Aot.dll"));
        }
    }

    /// <summary>Skips (or, when CI requires it, fails) a native test when the binary has not been published.</summary>
    public static void RequireNativeBinary()
    {
        if (File.Exists(NativeBinary))
        {
            return;
        }

        var reason = $"the native binary {NativeBinary} is not there: publish it with `dotnet publish samples/AuthKit.Samples.Aot -c Release -o artifacts/aot` (needs clang and zlib1g-dev).";
        if (Environment.GetEnvironmentVariable(RequiredVariable) == "1")
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
    }

    /// <summary>Settings every smoke run uses: a Basic user table entry, a JWT key, the key ring file in <paramref name="dataDirectory"/>.</summary>
    public static Dictionary<string, string?> Settings(string dataDirectory)
    {
        var hash = new Pbkdf2PasswordHasher(new Pbkdf2PasswordHasherOptions { Iterations = 10_000 }).HashPassword(Password);
        return new Dictionary<string, string?>
        {
            ["AuthKit__KeyFile"] = Path.Combine(dataDirectory, "keys.json"),
            ["AuthKit__Basic__Users__" + UserName] = hash,
            ["AuthKit__Jwt__Keys__0__KeyId"] = "smoke",
            ["AuthKit__Jwt__Keys__0__Algorithm"] = "HS256",
            ["AuthKit__Jwt__Keys__0__Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),

            // The first request opens the store's connection; on a loaded CI machine that can take longer than the 2 s default.
            ["AuthKit__Sessions__StoreTimeout"] = "00:00:20",
            ["AuthKit__Jwt__StoreTimeout"] = "00:00:20",
        };
    }

    /// <summary>Starts the native binary (<paramref name="native"/>) or the JIT build, and waits for its "listening on" line.</summary>
    public static async Task<SmokeApp> StartAsync(bool native, IDictionary<string, string?> environment)
    {
        var start = native ? new ProcessStartInfo(NativeBinary) : new ProcessStartInfo("dotnet", [JitAssembly]);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = Path.GetDirectoryName(native ? NativeBinary : JitAssembly)!;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }

        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            const string marker = " listening on ";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (line.StartsWith("AuthKit AOT smoke app", StringComparison.Ordinal) && at > 0)
            {
                listening.TrySetResult(new Uri(line[(at + marker.Length)..].Trim()));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromMinutes(2)));
        if (first != listening.Task)
        {
            var text = output.ToString();
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            throw new InvalidOperationException($"The smoke app did not start listening:\n{text}");
        }

        return new SmokeApp(process, await listening.Task, output);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(cts.Token);
        }

        _process.Dispose();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AuthKit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AuthKit.sln not found above " + AppContext.BaseDirectory);
    }
}
