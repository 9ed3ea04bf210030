using System.Text.RegularExpressions;

namespace AuthKit.IntegrationTests;

/// <summary>The cluster sample (a YARP balancer and three WebApp processes) running as a child process of the tests.</summary>
public sealed class ClusterProcess : IAsyncDisposable
{
    /// <summary>Start-up may take a while on a loaded 2-core CI machine: four .NET processes start one after another.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(150);

    private readonly SampleProcess _process;
    private readonly string _dataDirectory;

    private ClusterProcess(SampleProcess process, string dataDirectory, Uri balancer, IReadOnlyDictionary<string, Uri> instances, IReadOnlyDictionary<string, int> processIds)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Balancer = balancer;
        Instances = instances;
        ProcessIds = processIds;
    }

    /// <summary>The balancer's address; every request there goes to the next instance (round robin).</summary>
    public Uri Balancer { get; }

    /// <summary>Instance name (A, B, C) → its own address.</summary>
    public IReadOnlyDictionary<string, Uri> Instances { get; }

    /// <summary>Instance name (A, B, C) → the process ID it started with.</summary>
    public IReadOnlyDictionary<string, int> ProcessIds { get; }

    public string Output => _process.Output;

    public SampleProcess Process => _process;

    /// <summary>The cluster's data folder (the file store lives in its <c>sessions</c> folder).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>
    /// Starts the cluster. <paramref name="logRequests"/> makes the balancer and every instance log each request (method,
    /// path, status, duration), for tests whose failure should show which instance answered what and how fast.
    /// </summary>
    public static async Task<ClusterProcess> StartAsync(
        string store, string? redis = null, string? redisPrefix = null, int instances = 3, bool logRequests = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var data = Path.Combine(Path.GetTempPath(), $"authkit-it-{store}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        var args = new List<string>
        {
            "--store", store,
            "--port", "0",
            "--instances", instances.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data", data,
            "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--start-timeout", ((int)StartTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (redis is not null)
        {
            args.AddRange(["--redis", redis]);
        }

        if (redisPrefix is not null)
        {
            args.AddRange(["--redis-prefix", redisPrefix]);
        }

        // The instances inherit the launcher's environment, so one variable turns request logging on everywhere.
        // (and settings given as environment variables, e.g. AuthKit__ManagedKeys__KeyLifetime, reach every instance).
        Dictionary<string, string?>? environment = logRequests
            ? new Dictionary<string, string?> { ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information" }
            : null;
        if (settings is not null)
        {
            environment ??= [];
            foreach (var (key, value) in settings)
            {
                environment[key] = value;
            }
        }
        var process = SampleProcess.Start(SamplePaths.Cluster, args, environment);
        try
        {
            var match = await process.WaitForLineAsync(@"Load balancer \(round robin\) listening on (http://\S+)", StartTimeout + TimeSpan.FromSeconds(30));
            var urls = new Dictionary<string, Uri>(StringComparer.Ordinal);
            var pids = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var line in process.Output.Split('\n'))
            {
                if (Regex.Match(line, @"^\s+instance (\w+): (http://\S+) \(pid (\d+)\)") is { Success: true } m)
                {
                    urls[m.Groups[1].Value] = new Uri(m.Groups[2].Value);
                    pids[m.Groups[1].Value] = int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return new ClusterProcess(process, data, new Uri(match.Groups[1].Value), urls, pids);
        }
        catch
        {
            await process.DisposeAsync();
            TryDelete(data);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Ctrl+C first (the launcher stops its instances itself); the whole tree is killed whatever happens.
        await _process.InterruptAsync(TimeSpan.FromSeconds(20));
        await _process.DisposeAsync();
        TryDelete(_dataDirectory);
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
