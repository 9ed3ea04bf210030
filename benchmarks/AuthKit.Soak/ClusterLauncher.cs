using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AuthKit.Soak;

/// <summary>
/// The cluster sample as a child process (<c>--restart true --diagnostics true</c>): the balancer's address, and each
/// instance's current address and process ID, kept up to date as instances are restarted.
/// </summary>
internal sealed partial class ClusterLauncher : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _balancer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClusterLauncher(Process process) => _process = process;

    public ConcurrentDictionary<string, (Uri Url, int Pid)> Instances { get; } = new(StringComparer.Ordinal);

    /// <summary>Restarts seen so far: instance name and when (from <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public ConcurrentQueue<(string Name, long Timestamp)> Restarts { get; } = new();

    public Uri Balancer => _balancer.Task.Result;

    public string Output => string.Join('\n', _output);

    public static async Task<ClusterLauncher> StartAsync(string clusterDll, string redis, string prefix, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        if (!File.Exists(clusterDll))
        {
            throw new FileNotFoundException($"The cluster sample was not built: {clusterDll} (dotnet build benchmarks/AuthKit.Soak -c Release).", clusterDll);
        }

        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(clusterDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            clusterDll, "--store", "redis", "--redis", redis, "--redis-prefix", prefix, "--port", "0", "--instances", "3",
            "--restart", "true", "--diagnostics", "true", "--quiet", "true",
            "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            "--start-timeout", ((int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "ASPNETCORE_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            info.Environment.Remove(name);
        }

        // Plain HTTP on loopback outside Development: AuthKit's one insecure switch, as the cluster sets for its instances.
        info.Environment["AuthKit__AllowInsecureHttp"] = "true";
        foreach (var (name, value) in environment)
        {
            // The launcher's environment is its instances' too.
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var launcher = new ClusterLauncher(process);
        process.OutputDataReceived += (_, e) => launcher.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => launcher.OnLine(e.Data);
        process.Exited += (_, _) => launcher._balancer.TrySetException(new InvalidOperationException("The cluster exited before it was ready:\n" + launcher.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await launcher._balancer.Task.WaitAsync(timeout + TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            return launcher;
        }
        catch
        {
            await launcher.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Ctrl+C first: the launcher stops its instances itself; then the whole tree, whatever happened.
                using (var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
                {
                    await kill!.WaitForExitAsync().ConfigureAwait(false);
                }

                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (InstanceLine().Match(line) is { Success: true } instance)
        {
            Instances[instance.Groups[1].Value] = (new Uri(instance.Groups[2].Value), int.Parse(instance.Groups[3].Value, CultureInfo.InvariantCulture));
            if (instance.Groups[4].Success)
            {
                Restarts.Enqueue((instance.Groups[1].Value, Stopwatch.GetTimestamp()));
            }
        }
        else if (BalancerLine().Match(line) is { Success: true } balancer)
        {
            _balancer.TrySetResult(new Uri(balancer.Groups[1].Value));
        }
    }

    private static string DotnetHost()
    {
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

    [GeneratedRegex(@"^\s+instance (\w+): (http://\S+) \(pid (\d+)\)( restarted)?")]
    private static partial Regex InstanceLine();

    [GeneratedRegex(@"Load balancer \(round robin\) listening on (http://\S+)")]
    private static partial Regex BalancerLine();
}
