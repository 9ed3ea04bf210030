using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;

namespace AuthKit.Snippets.Tests;

/// <summary>
/// A newcomer's first run, done literally: <c>dotnet new web</c>, the README's <c>dotnet add package</c> lines against the
/// packed packages, the README's quick start as <c>Program.cs</c>, then the app on a loopback port signs in and out.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed partial class QuickStartAppTests(PackedPackages packages)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_fresh_web_app_that_follows_the_README_quick_start_signs_in_and_out()
    {
        packages.EnsurePacked();
        var (addPackages, program) = ReadQuickStart();

        var folder = packages.NewFolder("quickstart");
        await RunAsync(folder, "new", "web", "-o", "Shop");
        var app = Path.Combine(folder, "Shop");
        foreach (var package in addPackages)
        {
            await RunAsync(app, "add", "package", package, "--version", packages.Version);
        }

        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), program.Code);
        await RunAsync(app, "build", "-nodeReuse:false", "-nologo", "-v", "q");

        await using var running = await RunningApp.StartAsync(app, Path.Combine(folder, "authkit-keys.json"));
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = running.Url, Timeout = TimeSpan.FromSeconds(30) };

        using (var anonymous = await http.GetAsync("/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var wrong = await http.PostAsJsonAsync("/login", new { userName = "alice", password = "wrong" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.False(wrong.Headers.Contains("Set-Cookie"), "A failed sign-in sets no cookie.");
        }

        using (var signIn = await http.PostAsJsonAsync("/login", new { userName = "alice", password = "alice-password" }))
        {
            Assert.True(signIn.IsSuccessStatusCode, $"Sign-in answered {(int)signIn.StatusCode}.\n{running.Output}");
            var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("authkit=", StringComparison.Ordinal));
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal("alice", await http.GetStringAsync("/me"));
        using (var cart = await http.PostAsync("/cart?item=tea", null))
        {
            Assert.Equal(HttpStatusCode.OK, cart.StatusCode);
        }

        using (var cart = await http.PostAsync("/cart?item=scone", null))
        {
            Assert.Equal("tea scone", await cart.Content.ReadAsStringAsync());
        }

        using (var signOut = await http.PostAsync("/logout", null))
        {
            Assert.True(signOut.IsSuccessStatusCode, $"Sign-out answered {(int)signOut.StatusCode}.");
        }

        using (var afterwards = await http.GetAsync("/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        }
    }

    /// <summary>The README's <c>dotnet add package</c> lines (from the block that runs <c>dotnet new web</c>) and its first program.</summary>
    private static (IReadOnlyList<string> Packages, CodeBlock Program) ReadQuickStart()
    {
        var readme = Path.Combine(Repository.Root, "README.md");
        var markdown = File.ReadAllText(readme);
        var start = markdown.IndexOf("dotnet new web", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md no longer shows `dotnet new web`: the quick start test follows those steps.");
        var startLine = markdown[..start].Count(c => c == '\n') + 1;
        var end = markdown.IndexOf("```", start, StringComparison.Ordinal);
        var packages = AddPackage().Matches(markdown[start..end]).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(packages);
        var program = CodeBlock.Parse(readme, markdown).FirstOrDefault(b => b.Kind == CodeBlockKind.Program && b.FenceLine > startLine);
        Assert.True(program is not null, "README.md has no quick start program after `dotnet new web`.");
        return (packages, program);
    }

    private async Task RunAsync(string folder, params string[] arguments)
    {
        var result = await Dotnet.RunAsync(folder, CommandTimeout, null, arguments);
        Assert.True(result.Succeeded, result.ToString());
    }

    [GeneratedRegex(@"dotnet add package (\S+)")]
    private static partial Regex AddPackage();

    /// <summary>The built app, running as a child process on a loopback port of the system's choosing.</summary>
    private sealed partial class RunningApp : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output;

        private RunningApp(Process process, StringBuilder output, Uri url)
        {
            _process = process;
            _output = output;
            Url = url;
        }

        public Uri Url { get; }

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

        public static async Task<RunningApp> StartAsync(string project, string keyFile)
        {
            var dll = Path.Combine(project, "bin", "Debug", "net10.0", "Shop.dll");
            Assert.True(File.Exists(dll), $"The build made no {dll}.");
            var info = Dotnet.CreateStartInfo(project, new Dictionary<string, string>
            {
                // As `dotnet run` does (launchSettings.json); and the generated AuthKit key beside the test's files, not in the profile.
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["AuthKit__KeyFile"] = keyFile,
            }, [dll, "--urls", "http://127.0.0.1:0"]);
            var output = new StringBuilder();
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
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

                if (Listening().Match(line) is { Success: true } m)
                {
                    listening.TrySetResult(new Uri(m.Groups[1].Value));
                }
            }

            process.OutputDataReceived += (_, e) => OnLine(e.Data);
            process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The app exited before it listened."));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var app = new RunningApp(process, output, new Uri("http://127.0.0.1/"));
            try
            {
                var url = await listening.Task.WaitAsync(StartTimeout);
                return new RunningApp(process, output, url);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                await app.DisposeAsync();
                throw new InvalidOperationException($"The quick start app did not start: {ex.Message}\n{app.Output}", ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }

                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
            }
            finally
            {
                _process.Dispose();
            }
        }

        [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
        private static partial Regex Listening();
    }
}
