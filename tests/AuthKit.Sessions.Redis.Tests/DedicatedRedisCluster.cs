using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>
/// A private 6-node Redis Cluster (3 primaries, 3 replicas) started by <c>cluster.sh</c> on free loopback ports, for a test
/// that kills nodes. Needs <c>redis-server</c> and <c>redis-cli</c> on PATH.
/// </summary>
internal sealed class DedicatedRedisCluster : IAsyncDisposable
{
    private readonly string _directory;

    private DedicatedRedisCluster(int firstPort, string directory, string configuration)
    {
        FirstPort = firstPort;
        _directory = directory;
        Configuration = configuration;
    }

    public int FirstPort { get; }

    /// <summary>The primaries at start, as a StackExchange.Redis configuration string.</summary>
    public string Configuration { get; }

    public static bool CanStart => OnPath("redis-server") && OnPath("redis-cli") && OnPath("bash");

    public static async Task<DedicatedRedisCluster> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var first = FindFreePorts();
            var directory = Path.Combine(Path.GetTempPath(), "authkit-cluster-" + Guid.NewGuid().ToString("N"));
            var (code, output) = await RunScriptAsync("start", first, directory);
            if (code == 0)
            {
                return new DedicatedRedisCluster(first, directory, output.Trim().Split('\n')[^1].Trim());
            }

            await RunScriptAsync("stop", first, directory);
            if (attempt == 3)
            {
                throw new InvalidOperationException($"cluster.sh start {first} failed ({code}): {output}");
            }
        }
    }

    /// <summary>The PID of the node on <paramref name="port"/>.</summary>
    public int ProcessId(int port)
        => int.Parse(File.ReadAllText(Path.Combine(_directory, port.ToString(CultureInfo.InvariantCulture), "redis.pid")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Kills the node on <paramref name="port"/> with SIGKILL: no goodbye to its peers or clients.</summary>
    public void Kill(int port)
    {
        using var process = Process.GetProcessById(ProcessId(port));
        process.Kill();
    }

    public async ValueTask DisposeAsync() => await RunScriptAsync("stop", FirstPort, _directory);

    private static async Task<(int Code, string Output)> RunScriptAsync(string action, int first, string directory)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cluster.sh"));
        info.ArgumentList.Add(action);
        info.ArgumentList.Add(first.ToString(CultureInfo.InvariantCulture));
        info.Environment["AUTHKIT_CLUSTER_DIR"] = directory;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A first port such that it, the next five, and their cluster-bus ports (+10000) are free.</summary>
    private static int FindFreePorts()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20000, 29000);
            if (Enumerable.Range(first, 6).All(p => IsFree(p) && IsFree(p + 10000)))
            {
                return first;
            }
        }

        throw new InvalidOperationException("No free range of ports for a test cluster.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool OnPath(string file)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(d => File.Exists(Path.Combine(d, file)));
}

/// <summary>One <see cref="DedicatedRedisCluster"/> for a test class, started on first use (so skipped tests cost nothing).</summary>
public sealed class DedicatedRedisClusterFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DedicatedRedisCluster? _cluster;

    internal async Task<DedicatedRedisCluster> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _cluster ??= await DedicatedRedisCluster.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _gate.Dispose();
    }
}
