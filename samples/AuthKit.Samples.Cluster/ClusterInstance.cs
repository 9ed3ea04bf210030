using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AuthKit.Samples.Cluster;

/// <summary>One WebApp instance, running as a child process on a loopback port of its own choosing.</summary>
internal sealed partial class ClusterInstance : IAsyncDisposable
{
    /// <summary>One <c>/healthz</c> request; a slower answer (a starved machine) is asked again until the start timeout.</summary>
    private static readonly TimeSpan HealthCheckAttemptTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClusterInstance(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the process has exited, whatever the reason.</summary>
    public Task Exited => _exited.Task;

    /// <summary>The instance's own address (not the balancer's), known once it is ready.</summary>
    public Uri? Url { get; private set; }

    /// <summary>
    /// Starts <c>dotnet &lt;webAppDll&gt;</c> with the given settings (as command-line configuration) and secrets (as environment variables,
    /// which other users cannot read from the process list).
    /// </summary>
    public static ClusterInstance Start(string name, string webAppDll, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> environment, Action<string> output)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(webAppDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(webAppDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        // The child must not pick up the launcher's own URLs.
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("URLS");
        info.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        info.Environment.Remove("ASPNETCORE_HTTPS_PORTS");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var instance = new ClusterInstance(name, process);
        process.OutputDataReceived += (_, e) => instance.OnLine(e.Data, output);
        process.ErrorDataReceived += (_, e) => instance.OnLine(e.Data, output);
        process.Exited += (_, _) =>
        {
            instance._ready.TrySetException(new InvalidOperationException($"Instance {name} exited with code {SafeExitCode(process)} before it was ready."));
            instance._exited.TrySetResult();
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return instance;
    }

    /// <summary>Waits for the instance's start-up line, then for <c>/healthz</c> to answer.</summary>
    public async Task<Uri> WaitUntilReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            var url = await _ready.Task.WaitAsync(cts.Token);
            await HealthProbe.WaitUntilHealthyAsync(http, new Uri(url, "/healthz"), HealthCheckAttemptTimeout, cts.Token);
            Url = url;
            return url;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Instance {Name} was not ready within {timeout.TotalSeconds:0} s.");
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

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Kills the child at once (for process-exit handlers, where nothing may be awaited).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    private void OnLine(string? line, Action<string> output)
    {
        if (line is null)
        {
            return;
        }

        if (ReadyLine().Match(line) is { Success: true } match && Uri.TryCreate(match.Groups[1].Value, UriKind.Absolute, out var url))
        {
            _ready.TrySetResult(url);
        }

        output($"[{Name}] {line}");
    }

    private static int? SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string DotnetHost()
    {
        // The host that runs us (dotnet AuthKit.Samples.Cluster.dll), else the one of our runtime (dotnet run starts the
        // apphost), else dotnet from PATH.
        var path = Environment.ProcessPath;
        if (path is not null && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return path;
        }

        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        for (var dir = runtime is null ? null : new DirectoryInfo(runtime); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "dotnet";
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ReadyLine();
}
