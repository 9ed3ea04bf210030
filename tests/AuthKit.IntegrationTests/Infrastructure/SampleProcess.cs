using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace AuthKit.IntegrationTests;

/// <summary>
/// A sample started as a separate OS process (<c>dotnet &lt;dll&gt; …</c>): its output is captured, a line can be awaited,
/// and disposing kills the whole process tree, whatever happened.
/// </summary>
public sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found)> _waiters = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SampleProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far (standard output and error), for failure messages.</summary>
    public string Output
    {
        get
        {
            var text = new StringBuilder();
            foreach (var line in _lines)
            {
                text.AppendLine(line);
            }

            return text.ToString();
        }
    }

    public static SampleProcess Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The sample was not built: {dll}", dll);
        }

        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "ASPNETCORE_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            info.Environment.Remove(name);
        }

        // The samples run in Production here and the tests talk plain HTTP to them: say so with AuthKit's one insecure setting
        // (inherited by the cluster's instances). Outside Development nothing else relaxes plain HTTP.
        info.Environment["AuthKit__AllowInsecureHttp"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var sample = new SampleProcess(process);
        process.OutputDataReceived += (_, e) => sample.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => sample.OnLine(e.Data);
        process.Exited += (_, _) => sample._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sample;
    }

    /// <summary>Waits for an output line matching <paramref name="pattern"/> (lines already written count).</summary>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            foreach (var line in _lines)
            {
                if (regex.Match(line) is { Success: true } match)
                {
                    return match;
                }
            }

            _waiters.Add((regex, found));
        }

        var finished = await Task.WhenAny(found.Task, _exited.Task, Task.Delay(timeout));
        if (finished == found.Task)
        {
            return await found.Task;
        }

        // Output may still be draining right after exit.
        if (found.Task.IsCompleted)
        {
            return await found.Task;
        }

        throw new TimeoutException(finished == _exited.Task
            ? $"The process exited (code {SafeExitCode()}) before writing a line matching '{pattern}'. Output:\n{Output}"
            : $"No line matching '{pattern}' within {timeout.TotalSeconds:0} s. Output:\n{Output}");
    }

    /// <summary>Kills the process tree (if still running) and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Asks the process to stop as Ctrl+C would (SIGINT), and waits for it to exit.</summary>
    public async Task<bool> InterruptAsync(TimeSpan timeout)
    {
        if (OperatingSystem.IsWindows() || _process.HasExited)
        {
            return _process.HasExited;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await kill!.WaitForExitAsync();
        }

        await Task.WhenAny(_exited.Task, Task.Delay(timeout));
        return _process.HasExited;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_waiters)
        {
            _lines.Enqueue(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Pattern.Match(line) is { Success: true } match)
                {
                    _waiters[i].Found.TrySetResult(match);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private string SafeExitCode()
    {
        try
        {
            return _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private static string DotnetHost()
    {
        var path = Environment.ProcessPath;
        if (path is not null && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return path;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            return host;
        }

        // A test host started as an apphost: the runtime's own dotnet sits a few levels above the shared framework.
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
}
